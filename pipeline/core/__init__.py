"""The core: what every other layer speaks — vocabularies, the template's format, the campaign and
nomenclature, the pandera contracts between stages, and the French texts. Imports nothing above it."""
