"""Account dialogs: the account list and the add/edit form."""
