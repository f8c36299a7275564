"""The one error of the evaluation's rules: a Vietnamese message, a code and an HTTP status.

Every rules module (workflow, documents, scoring, decisions) raises
:class:`EvaluationError` for a move or an input it refuses, *before* writing
anything (or inside the transaction it rolls back). Views turn it into a 4xx
answer with ``error.status`` and show ``error.message``; the API answers
``{"code": error.code, "detail": error.message}``.

Status: 403 — the user holds no role allowed to do it; 409 — not now (state,
round closed, deadline, someone missing); 400 — bad input (missing reason,
documents, answers, file).
"""


class EvaluationError(Exception):
    status = 400

    def __init__(self, code, message, status=None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        if status is not None:
            self.status = status

    def __str__(self):
        return self.message

    def __repr__(self):
        return f"EvaluationError({self.code!r}, {self.message!r}, status={self.status})"
