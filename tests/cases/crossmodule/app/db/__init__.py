"""The storage subpackage: re-exports its session module."""
from app.db.session import Session
