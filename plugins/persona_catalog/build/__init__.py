"""The build's work beside the engine: outputs and the search index, and under a preview the thread that
finishes them."""
