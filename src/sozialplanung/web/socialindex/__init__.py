"""Social index: composite indices, status and dynamics, uncertainty and typology per area."""
