"""The portal and API tests."""
