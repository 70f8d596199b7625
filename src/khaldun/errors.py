"""khaldun's exceptions, each with a code kept in one table (`MESSAGES`).

    KhaldunError
    ├── PipelineError         K001  a stage broke its contract
    │   ├── StageOrderError   K002
    │   └── WorkersDied       K003
    ├── InputError            K01x  the input cannot be read as a document
    │   ├── UnreadableFile    K010
    │   ├── BadEncoding       K011
    │   ├── MalformedRecord   K012
    │   ├── EmptyDocument     K013
    │   ├── TooLarge          K014
    │   └── FetchError        K015
    ├── ExtractionError       K020  no article text could be taken from the page
    ├── CodingError           K030  the event coder failed on a document
    ├── GeocodeError          K040  the gazetteer could not be built or read
    ├── StoreError            K050  the database cannot be opened or written
    └── UsageError            K060  a bad command line or option

The code is stored in `documents.error` as "K0xx [stage] message" so that failed documents can be counted
and grepped.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "K001": "a pipeline stage returned something other than the Document it was given",
    "K002": "a pipeline stage needs a field that no earlier stage assigns",
    "K003": "the worker processes keep dying, whatever the document",
    "K010": "the file cannot be read",
    "K011": "the file's encoding cannot be decoded as text",
    "K012": "a record in the file is malformed",
    "K013": "the document is empty",
    "K014": "the document is larger than the size limit",
    "K015": "the URL cannot be fetched",
    "K020": "no article text could be extracted",
    "K030": "the event coder failed",
    "K040": "the gazetteer cannot be built or read",
    "K050": "the database cannot be opened or written",
    "K060": "bad usage",
    "K099": "unexpected failure in a stage",
}


class KhaldunError(Exception):
    """Base class; `code` is one of `MESSAGES`."""

    code = "K099"

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(f"{self.code} {MESSAGES[self.code]}" + (f": {detail}" if detail else ""))


class PipelineError(KhaldunError):
    code = "K001"


class StageOrderError(PipelineError):
    code = "K002"


class WorkersDied(PipelineError):
    code = "K003"


class InputError(KhaldunError):
    code = "K010"


class UnreadableFile(InputError):
    code = "K010"


class BadEncoding(InputError):
    code = "K011"


class MalformedRecord(InputError):
    code = "K012"


class EmptyDocument(InputError):
    code = "K013"


class TooLarge(InputError):
    code = "K014"


class FetchError(InputError):
    code = "K015"


class ExtractionError(KhaldunError):
    code = "K020"


class CodingError(KhaldunError):
    code = "K030"


class GeocodeError(KhaldunError):
    code = "K040"


class StoreError(KhaldunError):
    code = "K050"


class UsageError(KhaldunError):
    code = "K060"
