"""Views: present the graph (the interactive page, exports)."""
