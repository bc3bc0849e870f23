"""Report stage: formatters that turn Documents (and later findings) into text for people and machines."""
