"""Charts of a trace: one model (model.py, axes.py) drawn on the terminal, as an image and
on the page."""
