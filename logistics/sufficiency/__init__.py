"""sufficiency."""
