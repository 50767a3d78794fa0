"""Protection lifecycle: states, guards, interviews and transfers."""
