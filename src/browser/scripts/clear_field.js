// Focuses a field and empties it before it is typed into, as select-all and delete would: an
// input or textarea through its value setter, with the input event the page listens to; an
// editable element through the editing commands. arguments: [element]. Returns nothing.
const e = arguments[0];
e.focus();
if ((e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement) && e.value !== '') {
  const prototype = e instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value').set.call(e, '');
  e.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
} else if (e.isContentEditable && e.textContent !== '') {
  document.execCommand('selectAll', false);
  document.execCommand('delete', false);
}
