from fastapi import FastAPI

from app.api.v1 import router as v1
from app.core.config import Settings


def create_app() -> FastAPI:
    settings = Settings()
    app = FastAPI(title="service", version="0.1.0")
    app.state.settings = settings
    app.include_router(v1, prefix="/api/v1")

    @app.get("/healthz")
    async def healthz():
        return {"ok": True}

    return app


app = create_app()
