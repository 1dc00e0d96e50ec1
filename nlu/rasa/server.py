"""Run Rasa from its own Python 3.10 environment: build it, train a project, serve a model.

Everything happens in subprocesses (`scripts/rasa_env.sh`, `rasa train nlu`, `rasa run
--enable-api`), never by importing Rasa. Trained models are cached outside the repository under
the hash of the exported project, so the same knowledge base is never trained twice.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from nlu.rasa.export import FULL, Project, Training, export_project
from nlu.snapshot import KbSnapshot

ENV_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "rasa_env.sh"
_CACHE_HOME = Path.home() / ".cache" / "govbot"
# Exit code of rasa_env.sh when Python 3.10 is not installed.
_NO_PYTHON = 3


class RasaEnvironmentMissing(RuntimeError):
    """Python 3.10 (and so Rasa) is not available on this machine."""


def rasa_env() -> Path:
    """The Rasa virtualenv, built by `scripts/rasa_env.sh` on first use (takes minutes)."""
    done = subprocess.run(["bash", str(ENV_SCRIPT)], capture_output=True, text=True, check=False)
    if done.returncode == _NO_PYTHON:
        raise RasaEnvironmentMissing(done.stderr.strip())
    if done.returncode != 0:
        raise RuntimeError(f"building the Rasa environment failed:\n{done.stderr[-3000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def model_cache() -> Path:
    """Where trained models are kept: `$GOVBOT_RASA_MODELS` or ~/.cache/govbot/rasa-models."""
    return Path(os.environ.get("GOVBOT_RASA_MODELS", _CACHE_HOME / "rasa-models"))


def rasa_environ(threads: int = 2) -> dict[str, str]:
    """Environment of Rasa subprocesses: no telemetry (no network), bounded threads, less noise."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_INTRA_OP_PARALLELISM_THREADS": str(threads),
        "TF_INTER_OP_PARALLELISM_THREADS": "1",
        "PYTHONWARNINGS": "ignore",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    }


def validate(venv: Path, directory: Path) -> subprocess.CompletedProcess[str]:
    """`rasa data validate` on an exported project (exit code 0 when it is valid)."""
    return subprocess.run(
        [str(venv / "bin" / "rasa"), "data", "validate"],
        cwd=directory,
        env=rasa_environ(),
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass(frozen=True, slots=True)
class TrainedModel:
    """A model file, how long its training took and whether it came from the cache."""

    path: Path
    seconds: float
    cached: bool


def train(venv: Path, project: Project, *, cache: Path | None = None) -> TrainedModel:
    """Train `project` with `rasa train nlu` unless a model of the same project is cached."""
    cache = cache or model_cache()
    cache.mkdir(parents=True, exist_ok=True)
    model = cache / f"{project.digest}.tar.gz"
    # One trainer per project: a second test session waits and then finds the model.
    with (cache / f"{project.digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        timing = cache / f"{project.digest}.seconds"
        if model.is_file():
            seconds = float(timing.read_text()) if timing.is_file() else 0.0
            return TrainedModel(model, seconds, cached=True)
        log = cache / f"{project.digest}.log"  # tail it to follow the epochs
        with tempfile.TemporaryDirectory(prefix="govbot-rasa-train-") as work:
            project.write(Path(work))
            started = time.perf_counter()
            with log.open("wb") as out:
                done = subprocess.run(
                    [
                        str(venv / "bin" / "rasa"),
                        "train",
                        "nlu",
                        "--config",
                        "config.yml",
                        "--domain",
                        "domain.yml",
                        "--nlu",
                        "data/nlu.yml",
                        "--out",
                        "models",
                        "--fixed-model-name",
                        "model",
                    ],
                    cwd=work,
                    env=rasa_environ(),
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    check=False,
                )
            seconds = time.perf_counter() - started
            trained = Path(work) / "models" / "model.tar.gz"
            if done.returncode != 0 or not trained.is_file():
                tail = log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"rasa train failed (log {log}):\n{tail}")
            os.replace(trained, model)
            timing.write_text(f"{seconds:.1f}")
    return TrainedModel(model, seconds, cached=False)


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RasaServer:
    """A running `rasa run --enable-api` process and its URL."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        """Stop the server (idempotent): SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _ready(url: str) -> bool:
    try:
        response = httpx.post(f"{url}/model/parse", json={"text": "你好"}, timeout=5)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and "intent" in response.json()


@contextmanager
def serve(
    venv: Path, model: Path, *, port: int | None = None, startup_s: float = 300
) -> Iterator[RasaServer]:
    """Serve `model` on loopback; yields once it parses messages, stops it afterwards."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="govbot-rasa-run-") as work:
        log = Path(work) / "rasa.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    str(venv / "bin" / "rasa"),
                    "run",
                    "--enable-api",
                    "--model",
                    str(model),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                cwd=work,
                env=rasa_environ(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        server = RasaServer(url, process, log)
        try:
            deadline = time.monotonic() + startup_s
            while not _ready(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"rasa run did not start:\n{tail}")
                time.sleep(0.5)
            yield server
        finally:
            server.stop()


@contextmanager
def served_snapshot(
    snapshot: KbSnapshot, training: Training = FULL
) -> Iterator[tuple[RasaServer, TrainedModel]]:
    """Export `snapshot`, train it (or reuse the cached model) and serve it: for evaluations."""
    venv = rasa_env()
    model = train(venv, export_project(snapshot, training))
    with serve(venv, model.path) as server:
        yield server, model
