"""The application shell: main window, status bar, notifications, theme, single instance, about dialog."""
