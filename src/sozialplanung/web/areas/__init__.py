"""Areas: official territorial units, their vintages, conversion keys and neighbourhood."""
