"""Pure computation on planning data: no Django, no I/O."""
