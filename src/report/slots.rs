//! Which scenario an event is about, for reports of the whole run: with `--workers` the events
//! of several scenarios interleave, each tagged with its scenario's slot
//! (`Reporter::on_event_in`); a report keeps its scenarios in a list and follows the slot's.

use std::collections::HashMap;

use crate::event::Event;

#[derive(Default)]
pub(super) struct Slots {
    /// Slot → index in the report's list of scenarios.
    of_slot: HashMap<usize, usize>,
    /// The index of the scenario the event at hand is about.
    pub(super) active: usize,
}

impl Slots {
    /// Before an event of `slot`: its scenario becomes the active one.
    pub(super) fn enter(&mut self, slot: usize) {
        if let Some(&index) = self.of_slot.get(&slot) {
            self.active = index;
        }
    }

    /// After the event: a `ScenarioStarted` made its new scenario the active one, which now
    /// belongs to `slot`.
    pub(super) fn leave(&mut self, slot: usize, event: &Event) {
        if matches!(event, Event::ScenarioStarted { .. }) {
            self.of_slot.insert(slot, self.active);
        }
    }
}
