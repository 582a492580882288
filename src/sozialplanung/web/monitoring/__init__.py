"""Social monitoring: variables, observations, indicators and the imports they came from."""
