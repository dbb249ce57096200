"""The Projects tab: projects and websites, the website detail, the preview pane and the export flow."""
