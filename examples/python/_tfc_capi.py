"""_tfc_capi: the C side of tfc.py: loads the library, declares the prototypes of the functions
tfc.py calls (TFC_* ones are optional, so TensorFlow's libtensorflow also loads) and turns a
TF_Status into an exception. Internal; use tfc.py."""
import ctypes
import os

__all__ = ["TFError", "HAVE_NUMPY", "library_path", "version"]


try:
    if os.environ.get("TFC_PY_NO_NUMPY"):
        raise ImportError("disabled by TFC_PY_NO_NUMPY")
    import numpy as _np
except ImportError:
    _np = None
HAVE_NUMPY = _np is not None

# ---------------------------------------------------------------------------------------------
# The library
# ---------------------------------------------------------------------------------------------


def _candidates():
    env = os.environ.get("TFC_LIBRARY")
    if env:  # an explicit choice is never silently replaced by another library
        return [env]
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    return [os.path.join(root, "build", "libtfc.so"), "libtfc.so", "libtfc.so.0",
            "libtensorflow.so.2", "libtensorflow.so"]


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append(path + ": not found")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append(str(e))
    raise ImportError("tfc: cannot load the library (set TFC_LIBRARY): " + "; ".join(errors))


_lib, library_path = _load()

_p = ctypes.c_void_p
_i64p = ctypes.POINTER(ctypes.c_int64)


class _TFOutput(ctypes.Structure):
    _fields_ = [("oper", _p), ("index", ctypes.c_int)]


class _TFBuffer(ctypes.Structure):
    _fields_ = [("data", _p), ("length", ctypes.c_size_t), ("data_deallocator", _p)]


class _TFCOptimizer(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("learning_rate", ctypes.c_double), ("momentum", ctypes.c_double),
                ("use_nesterov", ctypes.c_ubyte), ("beta1", ctypes.c_double), ("beta2", ctypes.c_double),
                ("epsilon", ctypes.c_double), ("rho", ctypes.c_double),
                ("initial_accumulator_value", ctypes.c_double), ("l1", ctypes.c_double),
                ("l2", ctypes.c_double), ("lr_power", ctypes.c_double)]


_DEALLOC = ctypes.CFUNCTYPE(None, _p, ctypes.c_size_t, _p)
_OUTP = ctypes.POINTER(_TFOutput)
_BUFP = ctypes.POINTER(_TFBuffer)

# name: (restype, argtypes). Functions marked optional may be missing (TFC_* in libtensorflow).
_PROTOS = {
    "TF_Version": (ctypes.c_char_p, []),
    "TF_NewStatus": (_p, []), "TF_DeleteStatus": (None, [_p]),
    "TF_GetCode": (ctypes.c_int, [_p]), "TF_Message": (ctypes.c_char_p, [_p]),
    "TF_NewBuffer": (_BUFP, []), "TF_DeleteBuffer": (None, [_BUFP]),
    "TF_NewBufferFromString": (_BUFP, [ctypes.c_char_p, ctypes.c_size_t]),
    "TF_NewTensor": (_p, [ctypes.c_int, _i64p, ctypes.c_int, _p, ctypes.c_size_t, _DEALLOC, _p]),
    "TF_AllocateTensor": (_p, [ctypes.c_int, _i64p, ctypes.c_int, ctypes.c_size_t]),
    "TF_DeleteTensor": (None, [_p]), "TF_TensorType": (ctypes.c_int, [_p]),
    "TF_NumDims": (ctypes.c_int, [_p]), "TF_Dim": (ctypes.c_int64, [_p, ctypes.c_int]),
    "TF_TensorByteSize": (ctypes.c_size_t, [_p]), "TF_TensorData": (_p, [_p]),
    "TF_StringInit": (None, [_p]), "TF_StringCopy": (None, [_p, ctypes.c_char_p, ctypes.c_size_t]),
    "TF_StringGetDataPointer": (_p, [_p]), "TF_StringGetSize": (ctypes.c_size_t, [_p]),
    "TF_NewGraph": (_p, []), "TF_DeleteGraph": (None, [_p]),
    "TF_GraphGetTensorNumDims": (ctypes.c_int, [_p, _TFOutput, _p]),
    "TF_GraphGetTensorShape": (None, [_p, _TFOutput, _i64p, ctypes.c_int, _p]),
    "TF_GraphOperationByName": (_p, [_p, ctypes.c_char_p]),
    "TF_GraphNextOperation": (_p, [_p, ctypes.POINTER(ctypes.c_size_t)]),
    "TF_GraphGetOpDef": (None, [_p, ctypes.c_char_p, _BUFP, _p]),
    "TF_GraphToGraphDef": (None, [_p, _BUFP, _p]),
    "TF_NewImportGraphDefOptions": (_p, []), "TF_DeleteImportGraphDefOptions": (None, [_p]),
    "TF_ImportGraphDefOptionsSetPrefix": (None, [_p, ctypes.c_char_p]),
    "TF_GraphImportGraphDef": (None, [_p, _BUFP, _p, _p]),
    "TF_NewOperation": (_p, [_p, ctypes.c_char_p, ctypes.c_char_p]),
    "TF_SetDevice": (None, [_p, ctypes.c_char_p]),
    "TF_AddInput": (None, [_p, _TFOutput]), "TF_AddInputList": (None, [_p, _OUTP, ctypes.c_int]),
    "TF_AddControlInput": (None, [_p, _p]),
    "TF_SetAttrString": (None, [_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]),
    "TF_SetAttrStringList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_char_p),
                                    ctypes.POINTER(ctypes.c_size_t), ctypes.c_int]),
    "TF_SetAttrInt": (None, [_p, ctypes.c_char_p, ctypes.c_int64]),
    "TF_SetAttrIntList": (None, [_p, ctypes.c_char_p, _i64p, ctypes.c_int]),
    "TF_SetAttrFloat": (None, [_p, ctypes.c_char_p, ctypes.c_float]),
    "TF_SetAttrFloatList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_float), ctypes.c_int]),
    "TF_SetAttrBool": (None, [_p, ctypes.c_char_p, ctypes.c_ubyte]),
    "TF_SetAttrBoolList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_ubyte), ctypes.c_int]),
    "TF_SetAttrType": (None, [_p, ctypes.c_char_p, ctypes.c_int]),
    "TF_SetAttrTypeList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]),
    "TF_SetAttrShape": (None, [_p, ctypes.c_char_p, _i64p, ctypes.c_int]),
    "TF_SetAttrShapeList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(_i64p),
                                   ctypes.POINTER(ctypes.c_int), ctypes.c_int]),
    "TF_SetAttrTensor": (None, [_p, ctypes.c_char_p, _p, _p]),
    "TF_SetAttrTensorList": (None, [_p, ctypes.c_char_p, ctypes.POINTER(_p), ctypes.c_int, _p]),
    "TF_SetAttrFuncName": (None, [_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]),
    "TF_FinishOperation": (_p, [_p, _p]),
    "TF_OperationName": (ctypes.c_char_p, [_p]), "TF_OperationOpType": (ctypes.c_char_p, [_p]),
    "TF_OperationDevice": (ctypes.c_char_p, [_p]),
    "TF_OperationNumOutputs": (ctypes.c_int, [_p]), "TF_OperationNumInputs": (ctypes.c_int, [_p]),
    "TF_OperationOutputType": (ctypes.c_int, [_TFOutput]),
    "TF_AddGradients": (None, [_p, _OUTP, ctypes.c_int, _OUTP, ctypes.c_int, _OUTP, _p, _OUTP]),
    "TF_AddGradientsWithPrefix": (None, [_p, ctypes.c_char_p, _OUTP, ctypes.c_int, _OUTP, ctypes.c_int,
                                         _OUTP, _p, _OUTP]),
    "TF_NewSessionOptions": (_p, []), "TF_DeleteSessionOptions": (None, [_p]),
    "TF_SetTarget": (None, [_p, ctypes.c_char_p]),
    "TF_SetConfig": (None, [_p, ctypes.c_char_p, ctypes.c_size_t, _p]),
    "TF_NewSession": (_p, [_p, _p, _p]),
    "TF_CloseSession": (None, [_p, _p]), "TF_DeleteSession": (None, [_p, _p]),
    "TF_SessionRun": (None, [_p, _BUFP, _OUTP, ctypes.POINTER(_p), ctypes.c_int, _OUTP, ctypes.POINTER(_p),
                             ctypes.c_int, ctypes.POINTER(_p), ctypes.c_int, _BUFP, _p]),
    "TFC_SessionOptionsSetIntraOpThreads?": (None, [_p, ctypes.c_int]),
    "TFC_SessionOptionsSetInterOpThreads?": (None, [_p, ctypes.c_int]),
    "TFC_OptimizerDefaults?": (None, [ctypes.POINTER(_TFCOptimizer), ctypes.c_int, ctypes.c_double]),
    "TFC_AddTrainStep?": (_p, [_p, _TFOutput, _OUTP, ctypes.c_int, ctypes.POINTER(_TFCOptimizer),
                               ctypes.c_char_p, ctypes.POINTER(_p), _p]),
    "TFC_SetLogLevel?": (None, [ctypes.c_int]),
}


class _Api:
    """The C functions, with their prototypes set once."""


_c = _Api()
for _name, (_res, _args) in _PROTOS.items():
    _optional = _name.endswith("?")
    _name = _name.rstrip("?")
    try:
        _f = getattr(_lib, _name)
    except AttributeError:
        if _optional:
            setattr(_c, _name, None)
            continue
        raise ImportError("tfc: %s lacks %s" % (library_path, _name))
    _f.restype, _f.argtypes = _res, _args
    setattr(_c, _name, _f)


def version():
    """The library's version string, e.g. "2.18.0-tfc0.1.0"."""
    return _c.TF_Version().decode()


# ---------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------

_CODE_NAMES = {1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
               5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
               9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
               13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED"}


class TFError(Exception):
    """A TF_Status error: .code (TF_Code value), .code_name and .message (which names the op)."""

    def __init__(self, code, message):
        self.code = code
        self.code_name = _CODE_NAMES.get(code, "CODE_%d" % code)
        self.message = message
        super().__init__("%s: %s" % (self.code_name, message))


_ERROR_CLASSES = {}
for _code, _cname in _CODE_NAMES.items():
    _cls_name = "".join(w.capitalize() for w in _cname.split("_")) + "Error"
    _cls = type(_cls_name, (TFError,), {"__doc__": "TF_Status code %s." % _cname})
    globals()[_cls_name] = _cls
    __all__.append(_cls_name)
    _ERROR_CLASSES[_code] = _cls


class _Status:
    """A TF_Status for one call: `with _Status() as st: f(..., st); st.check()`."""
    __slots__ = ("ptr",)

    def __enter__(self):
        self.ptr = _c.TF_NewStatus()
        if not self.ptr:
            raise MemoryError("TF_NewStatus")
        return self

    def __exit__(self, *exc):
        _c.TF_DeleteStatus(self.ptr)
        self.ptr = None

    def check(self):
        code = _c.TF_GetCode(self.ptr)
        if code != 0:
            msg = (_c.TF_Message(self.ptr) or b"").decode("utf-8", "replace")
            raise _ERROR_CLASSES.get(code, TFError)(code, msg)

