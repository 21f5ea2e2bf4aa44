"""pandera's dtype check of a column, without the cost of formatting a failure that did not happen.

pandera (0.35, pandas 3) checks a ``Series[str]`` column element by element and then, even when every element
passes, builds a frame of failure cases and the text of a message around its ``repr`` — about a millisecond
per column, most of the cost of validating the small frames of one return (a web upload validates some forty
columns). Importing this module (:func:`install`) puts a check in front: when pandera's own element-wise
result says every element passes, the column passes, as pandera would decide; in every other case (a failure,
a whole-column result) pandera's own check runs and reports exactly as before. Nothing is decided here that
pandera does not decide.
"""

from __future__ import annotations

import numpy as np
from pandera.backends.base import CoreCheckResult
from pandera.backends.pandas.array import ArraySchemaBackend
from pandera.engines.pandas_engine import Engine
from pandera.errors import SchemaErrorReason
from pandera.validation_depth import ValidationScope, validate_scope

_PANDERAS = getattr(ArraySchemaBackend.check_dtype, "__wrapped__", None)  # pandera's, under its scope decorator


_ENGINE_DTYPES: dict = {}  # a column's dtype -> pandera's, as Engine.dtype says (which tries an import each time)


def _engine_dtype(dtype):
    try:
        return _ENGINE_DTYPES[dtype]
    except KeyError:
        return _ENGINE_DTYPES.setdefault(dtype, Engine.dtype(dtype))
    except TypeError:  # not hashable
        return Engine.dtype(dtype)


@validate_scope(scope=ValidationScope.SCHEMA)
def _check_dtype(self, check_obj, schema) -> CoreCheckResult:
    if schema.dtype is not None:
        result = schema.dtype.check(_engine_dtype(check_obj.dtype), check_obj)
        if not isinstance(result, bool) and bool(np.asarray(result, dtype=bool).all()):
            return CoreCheckResult(passed=True, check=f"dtype('{schema.dtype}')",
                                   reason_code=SchemaErrorReason.WRONG_DATATYPE)
    return _PANDERAS(self, check_obj, schema)


def install() -> None:
    """Done once, when :mod:`pipeline.core.models` imports this module; a pandera without the expected shape
    is left as it is."""
    if _PANDERAS is not None and ArraySchemaBackend.check_dtype is not _check_dtype:
        ArraySchemaBackend.check_dtype = _check_dtype


install()
