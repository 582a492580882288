"""The shipped demo: the real Saale-Orla-Kreis, loaded through the product's own importers."""
