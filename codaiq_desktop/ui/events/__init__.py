"""The Events tab: the receiver panel, the event inspector and the events table model."""
