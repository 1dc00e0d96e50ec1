"""The Rasa answer engine: export the knowledge base as a Rasa 3.6 project, train and serve it in
its own Python 3.10 environment, and ask the server over HTTP (Rasa is never imported here)."""
