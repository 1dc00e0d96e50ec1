"""Chinese text understanding: normalisation, retrieval, intents and the answer decision."""
