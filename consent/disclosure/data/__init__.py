"""Word lists the disclosure check reads: North Korean places, ranks and roles, units, particles."""
