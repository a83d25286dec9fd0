"""The built-in page-shape families, one module each (see govcrawl/shapes/__init__.py for what a module declares)."""
