from correspondence.tests.helpers import fake_engine

__all__ = ["fake_engine"]
