"""The Generate tab: the brief form, the live build card and the history of generations."""
