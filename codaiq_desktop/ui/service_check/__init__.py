"""Help › Check the service: what the connected service sends, and what the app makes of it."""
