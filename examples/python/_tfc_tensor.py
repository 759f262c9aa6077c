"""_tfc_tensor: tfc.py's data types, static shapes and tensors (TF_Tensor <-> NumPy arrays or
nested lists). Internal; use tfc.py."""
import ctypes
import itertools
import struct

from _tfc_capi import _c, _np, _DEALLOC, InternalError

# ---------------------------------------------------------------------------------------------
# Data types and shapes
# ---------------------------------------------------------------------------------------------


class DType:
    """A TF_DataType: .enum (the C value), .name, .size (bytes, 0 when variable), struct format."""
    __slots__ = ("name", "enum", "size", "fmt", "np_name")
    _by_enum = {}

    def __init__(self, name, enum, fmt, np_name):
        self.name, self.enum, self.fmt, self.np_name = name, enum, fmt, np_name
        self.size = struct.calcsize("=" + fmt) if fmt else 0
        DType._by_enum[enum] = self

    def __repr__(self):
        return "tfc." + self.name

    def __eq__(self, other):
        return isinstance(other, DType) and other.enum == self.enum

    def __hash__(self):
        return self.enum


float32 = DType("float32", 1, "f", "float32")
float64 = DType("float64", 2, "d", "float64")
int32 = DType("int32", 3, "i", "int32")
uint8 = DType("uint8", 4, "B", "uint8")
int16 = DType("int16", 5, "h", "int16")
int8 = DType("int8", 6, "b", "int8")
string = DType("string", 7, None, None)
int64 = DType("int64", 9, "q", "int64")
bool_ = DType("bool", 10, "?", "bool")
uint16 = DType("uint16", 17, "H", "uint16")
float16 = DType("float16", 19, "e", "float16")
resource = DType("resource", 20, None, None)
uint32 = DType("uint32", 22, "I", "uint32")
uint64 = DType("uint64", 23, "Q", "uint64")
_BY_NAME = {d.name: d for d in DType._by_enum.values()}
_BY_NAME.update(float="float32", double="float64", half="float16", bool_="bool")
_PY_TYPES = {float: float64, int: int64, bool: bool_, str: string, bytes: string}
_TSTRING_SIZE = 24  # sizeof(TF_TString)


def as_dtype(x):
    """A DType from a DType, a TF_DataType value, a name ("float32"), a Python type (float is
    float64, as in TensorFlow) or a NumPy dtype."""
    if isinstance(x, DType):
        return x
    if isinstance(x, int) and not isinstance(x, bool):
        if x in DType._by_enum:
            return DType._by_enum[x]
        raise TypeError("tfc: unknown TF_DataType %d" % x)
    if isinstance(x, str):
        d = _BY_NAME.get(x)
        d = _BY_NAME.get(d) if isinstance(d, str) else d
        if d is None:
            raise TypeError("tfc: unknown data type name %r" % x)
        return d
    if x in _PY_TYPES:
        return _PY_TYPES[x]
    if _np is not None:
        try:
            dt = _np.dtype(x)
        except TypeError:
            dt = None
        if dt is not None:
            return string if dt.kind in "OSU" else as_dtype(dt.name)
    raise TypeError("tfc: not a data type: %r" % (x,))


class Shape:
    """A static shape for shape attrs: dims is None (unknown rank) or a list of ints/None."""
    __slots__ = ("dims",)

    def __init__(self, dims):
        self.dims = None if dims is None else [(-1 if d is None else int(d)) for d in dims]

    def c_args(self):
        if self.dims is None:
            return None, -1
        return (ctypes.c_int64 * max(1, len(self.dims)))(*self.dims), len(self.dims)

    def __repr__(self):
        return "Shape(%r)" % (self.dims,)


def _c_dims(shape):
    return (ctypes.c_int64 * max(1, len(shape)))(*shape)


def _prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


# ---------------------------------------------------------------------------------------------
# Tensors
# ---------------------------------------------------------------------------------------------

# Python objects whose memory a TF_Tensor uses, keyed by the deallocator's arg; the callback runs
# (on whichever thread drops the last reference) when tfc lets go of the buffer.
_keepalive = {}
_keys = itertools.count(1)


@_DEALLOC
def _release(data, length, arg):
    try:
        _keepalive.pop(arg, None)
    except Exception:  # interpreter shutdown
        pass


def _flatten(value):
    """(shape, flat list) of a nested list/tuple of scalars; ValueError when ragged."""
    if isinstance(value, (list, tuple)):
        if not value:
            return (0,), []
        parts = [_flatten(v) for v in value]
        shape = parts[0][0]
        flat = []
        for s, f in parts:
            if s != shape:
                raise ValueError("tfc: ragged nested list (shapes %s and %s)" % (shape, s))
            flat.extend(f)
        return (len(value),) + shape, flat
    if _np is not None and isinstance(value, _np.ndarray):
        return tuple(value.shape), value.ravel().tolist()
    return (), [value]


def _infer_dtype(flat):
    """TensorFlow's rule for Python values: bool, else int32 (int64 when out of range), else
    float32 for any float, string for str/bytes."""
    if not flat:
        return float32
    if all(isinstance(v, bool) for v in flat):
        return bool_
    if all(isinstance(v, (str, bytes)) for v in flat):
        return string
    if all(isinstance(v, int) and not isinstance(v, bool) for v in flat):
        return int32 if all(-2**31 <= v < 2**31 for v in flat) else int64
    if all(isinstance(v, (int, float)) for v in flat):
        return float32
    bad = next(v for v in flat if not isinstance(v, (bool, int, float, str, bytes)))
    raise TypeError("tfc: cannot convert %r (%s) to a tensor" % (bad, type(bad).__name__))


def _nest(flat, shape, off=0):
    if not shape:
        return flat[off]
    if len(shape) == 1:
        return list(flat[off:off + shape[0]])
    step = _prod(shape[1:])
    return [_nest(flat, shape[1:], off + i * step) for i in range(shape[0])]


def _convert_scalar(v, dt):
    if dt is bool_:
        return bool(v)
    if dt.fmt in "fde":
        return float(v)
    if isinstance(v, float) and not v.is_integer():
        raise TypeError("tfc: %r is not an integer (dtype %s)" % (v, dt.name))
    return int(v)


class Tensor:
    """Owns one TF_Tensor. Tensor(value, dtype=None, copy=True) builds one from a NumPy array, a
    nested list or a scalar; with copy=False a C-contiguous NumPy array is shared, not copied."""
    __slots__ = ("_ptr", "__weakref__")

    def __init__(self, value, dtype=None, copy=True):
        self._ptr = None
        dt = None if dtype is None else as_dtype(dtype)
        if isinstance(value, Tensor):
            value = value.value()
        if _np is not None:
            self._ptr = self._from_numpy(value, dt, copy)
        else:
            shape, flat = _flatten(value)
            self._ptr = self._from_list(shape, flat, dt or _infer_dtype(flat))

    @staticmethod
    def _from_numpy(value, dt, copy):
        if dt is None and not isinstance(value, (_np.ndarray, _np.generic)):
            try:  # Python values: TensorFlow's dtype rule, as without NumPy
                dt = _infer_dtype(_flatten(value)[1])
            except TypeError:  # e.g. a list of NumPy scalars: NumPy's rule
                pass
        arr = _np.asarray(value) if dt is None else _np.asarray(value, dtype=_np.dtype(dt.np_name)
                                                                    if dt.np_name else None)
        dt = dt or as_dtype(arr.dtype)
        if dt is string or arr.dtype.kind in "OSU":
            return Tensor._from_list(arr.shape, arr.ravel().tolist(), string)
        if not dt.fmt:
            raise TypeError("tfc: cannot build a %s tensor from values" % dt.name)
        if not arr.flags.c_contiguous:  # (np.ascontiguousarray would make a scalar 1-d)
            arr = arr.copy(order="C")
        if arr.dtype.name != dt.np_name:
            arr = arr.astype(dt.np_name)
        dims = _c_dims(arr.shape)
        if copy or not arr.flags.aligned:
            ptr = _c.TF_AllocateTensor(dt.enum, dims, arr.ndim, arr.nbytes)
            if not ptr:
                raise MemoryError("TF_AllocateTensor(%s, %s)" % (dt.name, arr.shape))
            if arr.nbytes:
                ctypes.memmove(_c.TF_TensorData(ptr), arr.ctypes.data, arr.nbytes)
            return ptr
        key = next(_keys)
        _keepalive[key] = arr
        ptr = _c.TF_NewTensor(dt.enum, dims, arr.ndim, arr.ctypes.data, arr.nbytes, _release, key)
        if not ptr:  # the deallocator has already run
            raise ValueError("TF_NewTensor rejected shape %s" % (arr.shape,))
        return ptr

    @staticmethod
    def _from_list(shape, flat, dt):
        n = _prod(shape)
        size = _TSTRING_SIZE if dt is string else dt.size
        if not size:
            raise TypeError("tfc: cannot build a %s tensor from values" % dt.name)
        ptr = _c.TF_AllocateTensor(dt.enum, _c_dims(shape), len(shape), n * size)
        if not ptr:
            raise MemoryError("TF_AllocateTensor(%s, %s)" % (dt.name, shape))
        try:
            data = _c.TF_TensorData(ptr)
            if dt is string:
                for i, v in enumerate(flat):
                    b = v.encode() if isinstance(v, str) else bytes(v)
                    _c.TF_StringCopy(data + i * size, b, len(b))
            elif n:
                raw = struct.pack("=%d%s" % (n, dt.fmt), *(_convert_scalar(v, dt) for v in flat))
                ctypes.memmove(data, raw, len(raw))
        except BaseException:
            _c.TF_DeleteTensor(ptr)
            raise
        return ptr

    @classmethod
    def _adopt(cls, ptr):
        """Wraps a TF_Tensor the caller owns (e.g. a fetched output); the Tensor now owns it."""
        t = cls.__new__(cls)
        t._ptr = ptr
        return t

    @property
    def dtype(self):
        return as_dtype(_c.TF_TensorType(self._handle()))

    @property
    def shape(self):
        p = self._handle()
        return tuple(_c.TF_Dim(p, i) for i in range(_c.TF_NumDims(p)))

    def _handle(self):
        if not self._ptr:
            raise ValueError("tfc: the tensor is closed")
        return self._ptr

    def _raw(self):
        """(dtype, shape, data pointer, element count), after checking the byte size."""
        p, dt, shape = self._handle(), self.dtype, self.shape
        n = _prod(shape)
        size = _TSTRING_SIZE if dt is string else dt.size
        if not size:
            raise TypeError("tfc: cannot read a %s tensor" % dt.name)
        if _c.TF_TensorByteSize(p) < n * size:
            raise InternalError(13, "tensor holds %d bytes, its shape needs %d" % (_c.TF_TensorByteSize(p), n * size))
        return dt, shape, _c.TF_TensorData(p), n

    def _strings(self, data, n):
        out = []
        for i in range(n):
            e = data + i * _TSTRING_SIZE
            out.append(ctypes.string_at(_c.TF_StringGetDataPointer(e), _c.TF_StringGetSize(e)))
        return out

    def tolist(self):
        """The values as nested lists (a Python scalar for rank 0)."""
        dt, shape, data, n = self._raw()
        if dt is string:
            return _nest(self._strings(data, n), shape)
        flat = struct.unpack("=%d%s" % (n, dt.fmt), ctypes.string_at(data, n * dt.size)) if n else ()
        return _nest(flat, shape)

    def numpy(self):
        """A NumPy array holding a copy of the values (needs NumPy)."""
        if _np is None:
            raise RuntimeError("tfc: NumPy is not available")
        dt, shape, data, n = self._raw()
        if dt is string:
            arr = _np.empty(n, dtype=object)
            arr[:] = self._strings(data, n)
            return arr.reshape(shape)
        arr = _np.empty(shape, dtype=dt.np_name)
        if n:
            ctypes.memmove(arr.ctypes.data, data, n * dt.size)
        return arr

    def value(self):
        """numpy() when NumPy is available (a NumPy scalar for rank 0), else tolist()."""
        if _np is None:
            return self.tolist()
        arr = self.numpy()
        return arr[()] if arr.ndim == 0 else arr

    def close(self):
        if self._ptr:
            _c.TF_DeleteTensor(self._ptr)
            self._ptr = None

    __del__ = close

    def __repr__(self):
        if not self._ptr:
            return "<tfc.Tensor closed>"
        return "<tfc.Tensor %s %s>" % (self.dtype.name, list(self.shape))

