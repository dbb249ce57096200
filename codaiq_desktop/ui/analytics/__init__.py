"""The Analytics tab and its pyqtgraph charts."""
