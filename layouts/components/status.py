"""Status words shown next to a value (the colour alone is never the only cue)."""

from dashboard.indicators.targets import STATUS_LABELS

STATUS_TEXT = {status: label.capitalize() for status, label in STATUS_LABELS.items()}
