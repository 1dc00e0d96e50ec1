"""ASGI factory for several workers: `uvicorn bot.asgi:app_factory --factory --workers N`."""

from fastapi import FastAPI

from bot.app import build_runtime, create_app
from bot.settings import load_settings


def app_factory() -> FastAPI:
    """Build settings, runtime and app inside each worker process."""
    return create_app(build_runtime(load_settings()))
