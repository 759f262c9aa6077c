"""tfc.py: Python bindings for tfc (and TensorFlow's libtensorflow) over ctypes.

Standard library only; NumPy is used when it can be imported (and TFC_PY_NO_NUMPY is not set), in
which case tensors come back as NumPy arrays, otherwise as nested lists.

    import tfc
    g = tfc.Graph()
    x = g.placeholder(tfc.float32, shape=[None, 2], name="x")
    w = g.constant([[1.0, 0.5], [-1.0, 2.0]], name="w")
    z = g.op("MatMul", [x, w], attrs={"transpose_b": False}, name="z")[0]
    with tfc.Session(g) as sess:
        print(sess.run(z, feeds={x: [[1.0, 2.0]]}))

The library is the one named by $TFC_LIBRARY, else build/libtfc.so of the source tree this file
sits in, else whatever the system loader finds as libtfc.so, libtensorflow.so.2 or libtensorflow.so.

Ownership: every C object belongs to exactly one Python object, which frees it in close() (or when it
is garbage-collected). Tensors fetched by Session.run are copied out and freed at once. Tensors built
from NumPy arrays with copy=False (what Session.run does with fed arrays) share the array's memory;
the array is kept alive until tfc releases the buffer. Errors are raised as TFError subclasses that
carry TensorFlow's code and message (which names the op).
"""
import atexit
import ctypes
import weakref

from _tfc_capi import *  # noqa: F401,F403  (TFError and its subclasses, HAVE_NUMPY, version)
from _tfc_capi import __all__ as _capi_all, _c, _p, _i64p, _Status, _TFOutput, _TFCOptimizer, library_path
from _tfc_tensor import (DType, Shape, Tensor, as_dtype, _c_dims, float32, float64, int32, int64, bool_,  # noqa: F401
                         uint8, int8, int16, uint16, uint32, uint64, float16, string, resource)

__all__ = [
    "DType", "float32", "float64", "int32", "int64", "bool_", "uint8", "int8", "int16", "uint16",
    "uint32", "uint64", "float16", "string", "resource", "as_dtype", "Shape",
    "Tensor", "Graph", "Operation", "Output", "Variable", "Session", "set_log_level",
] + _capi_all

# ---------------------------------------------------------------------------------------------
# Graphs and operations
# ---------------------------------------------------------------------------------------------


def _pb_fields(buf):
    """(field number, value) of a serialized protobuf message: ints for varints, bytes for
    length-delimited fields (enough to read OpDef's attr names and types)."""
    i, n = 0, len(buf)

    def varint():
        nonlocal i
        v = shift = 0
        while True:
            if i >= n:
                raise ValueError("tfc: truncated protobuf")
            b = buf[i]
            i += 1
            v |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return v
    while i < n:
        key = varint()
        wire = key & 7
        if wire == 0:
            yield key >> 3, varint()
        elif wire == 2:
            ln = varint()
            yield key >> 3, buf[i:i + ln]
            i += ln
        elif wire in (1, 5):
            i += 8 if wire == 1 else 4
        else:
            raise ValueError("tfc: unsupported protobuf wire type %d" % wire)


def _opdef_attr_types(opdef):
    types = {}
    for field, val in _pb_fields(opdef):
        if field == 4:  # OpDef.attr: AttrDef {1: name, 2: type}
            d = dict(_pb_fields(val))
            types[d.get(1, b"").decode()] = d.get(2, b"").decode()
    return types


class Output:
    """One output of an operation (TF_Output). Hashable, so it can key Session.run's feeds."""
    __slots__ = ("op", "index")

    def __init__(self, op, index=0):
        self.op, self.index = op, index

    def _c(self):
        return _TFOutput(self.op._ptr, self.index)

    @property
    def graph(self):
        return self.op.graph

    @property
    def name(self):
        return "%s:%d" % (self.op.name, self.index)

    @property
    def dtype(self):
        return as_dtype(_c.TF_OperationOutputType(self._c()))

    @property
    def shape(self):
        """The static shape: a tuple with None for unknown dims, or None for an unknown rank."""
        g = self.graph._handle()
        with _Status() as st:
            nd = _c.TF_GraphGetTensorNumDims(g, self._c(), st.ptr)
            st.check()
            if nd < 0:
                return None
            dims = _c_dims([0] * nd)
            _c.TF_GraphGetTensorShape(g, self._c(), dims, nd, st.ptr)
            st.check()
        return tuple(None if dims[i] < 0 else dims[i] for i in range(nd))

    def __eq__(self, other):
        return isinstance(other, Output) and other.op == self.op and other.index == self.index

    def __hash__(self):
        return hash((self.op._ptr, self.index))

    def __repr__(self):
        return "<tfc.Output %s %s>" % (self.name, self.dtype.name)

    # A few operators, so small graphs read like arithmetic; each adds an op to the graph.
    def _binary(self, op_type, other, reverse=False):
        other = other if isinstance(other, (Output, Operation)) else \
            self.graph.constant(other, dtype=self.dtype)
        args = [other, self] if reverse else [self, other]
        return self.graph.op(op_type, args)[0]

    def __add__(self, o): return self._binary("AddV2", o)
    def __radd__(self, o): return self._binary("AddV2", o, True)
    def __sub__(self, o): return self._binary("Sub", o)
    def __rsub__(self, o): return self._binary("Sub", o, True)
    def __mul__(self, o): return self._binary("Mul", o)
    def __rmul__(self, o): return self._binary("Mul", o, True)
    def __truediv__(self, o): return self._binary("RealDiv", o)
    def __matmul__(self, o): return self._binary("MatMul", o)
    def __neg__(self): return self.graph.op("Neg", [self])[0]


class Operation:
    """A node of a graph (TF_Operation). It keeps its graph alive."""
    __slots__ = ("graph", "_ptr")

    def __init__(self, graph, ptr):
        self.graph, self._ptr = graph, ptr

    name = property(lambda self: _c.TF_OperationName(self._ptr).decode())
    type = property(lambda self: _c.TF_OperationOpType(self._ptr).decode())
    device = property(lambda self: _c.TF_OperationDevice(self._ptr).decode())
    num_outputs = property(lambda self: _c.TF_OperationNumOutputs(self._ptr))
    num_inputs = property(lambda self: _c.TF_OperationNumInputs(self._ptr))

    @property
    def outputs(self):
        return [Output(self, i) for i in range(self.num_outputs)]

    def __getitem__(self, i):
        if not 0 <= i < self.num_outputs:
            raise IndexError("tfc: %s '%s' has %d outputs" % (self.type, self.name, self.num_outputs))
        return Output(self, i)

    def __eq__(self, other):
        return isinstance(other, Operation) and other._ptr == self._ptr

    def __hash__(self):
        return hash(self._ptr)

    def __repr__(self):
        return "<tfc.Operation '%s' type=%s>" % (self.name, self.type)


def _as_output(x):
    if isinstance(x, Output):
        return x
    if isinstance(x, Operation):
        return x[0]
    raise TypeError("tfc: expected an Output or Operation, got %r" % (x,))


def _attr_kind(value):
    """The AttrDef type string ("int", "list(shape)", ...) for a value whose op def is unknown."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (str, bytes)):
        return "string"
    if isinstance(value, DType):
        return "type"
    if isinstance(value, Shape):
        return "shape"
    if isinstance(value, (list, tuple)):
        return "list(%s)" % (_attr_kind(value[0]) if value else "int")
    return "tensor"


def _as_bytes(v):
    return v.encode() if isinstance(v, str) else bytes(v)


def _prepare_attr(name, value, kind, owned):
    """Converts one attr value now (so that Python errors come before TF_NewOperation) and returns
    a function that sets it on a description. Tensors made here are appended to owned."""
    bname = name.encode()
    if kind is None or kind in ("", "placeholder") or (kind.startswith("list") and not isinstance(value, (list, tuple))):
        kind = _attr_kind(value)
    if kind == "string":
        b = _as_bytes(value)
        return lambda d, st: _c.TF_SetAttrString(d, bname, b, len(b))
    if kind == "int":
        return lambda d, st, v=int(value): _c.TF_SetAttrInt(d, bname, v)
    if kind == "float":
        return lambda d, st, v=float(value): _c.TF_SetAttrFloat(d, bname, v)
    if kind == "bool":
        return lambda d, st, v=1 if value else 0: _c.TF_SetAttrBool(d, bname, v)
    if kind == "type":
        return lambda d, st, v=as_dtype(value).enum: _c.TF_SetAttrType(d, bname, v)
    if kind == "shape":
        dims, nd = (value if isinstance(value, Shape) else Shape(value)).c_args()
        return lambda d, st: _c.TF_SetAttrShape(d, bname, dims, nd)
    if kind == "tensor":
        t = value if isinstance(value, Tensor) else Tensor(value)
        if t is not value:
            owned.append(t)
        return lambda d, st: _c.TF_SetAttrTensor(d, bname, t._handle(), st)
    if kind == "func":
        b = _as_bytes(value)
        return lambda d, st: _c.TF_SetAttrFuncName(d, bname, b, len(b))
    if not kind.startswith("list("):
        raise TypeError("tfc: attr '%s' has unsupported type %s" % (name, kind))
    return _prepare_list_attr(bname, list(value), kind[5:-1], owned)


def _prepare_list_attr(bname, vals, kind, owned):
    n = len(vals)
    if kind == "string":
        bs = [_as_bytes(v) for v in vals]
        ptrs, lens = (ctypes.c_char_p * max(1, n))(*bs), (ctypes.c_size_t * max(1, n))(*map(len, bs))
        return lambda d, st: _c.TF_SetAttrStringList(d, bname, ptrs, lens, n)
    if kind == "int":
        arr = (ctypes.c_int64 * max(1, n))(*map(int, vals))
        return lambda d, st: _c.TF_SetAttrIntList(d, bname, arr, n)
    if kind == "float":
        arr = (ctypes.c_float * max(1, n))(*map(float, vals))
        return lambda d, st: _c.TF_SetAttrFloatList(d, bname, arr, n)
    if kind == "bool":
        arr = (ctypes.c_ubyte * max(1, n))(*(1 if v else 0 for v in vals))
        return lambda d, st: _c.TF_SetAttrBoolList(d, bname, arr, n)
    if kind == "type":
        arr = (ctypes.c_int * max(1, n))(*(as_dtype(v).enum for v in vals))
        return lambda d, st: _c.TF_SetAttrTypeList(d, bname, arr, n)
    if kind == "shape":
        shapes = [(v if isinstance(v, Shape) else Shape(v)).c_args() for v in vals]
        dims = (_i64p * max(1, n))(*(ctypes.cast(s[0], _i64p) if s[0] is not None else None for s in shapes))
        nds = (ctypes.c_int * max(1, n))(*(s[1] for s in shapes))
        keep = shapes  # the dim arrays must outlive the call
        return lambda d, st, keep=keep: _c.TF_SetAttrShapeList(d, bname, dims, nds, n)
    if kind == "tensor":
        ts = [v if isinstance(v, Tensor) else Tensor(v) for v in vals]
        owned.extend(t for t, v in zip(ts, vals) if t is not v)
        return lambda d, st: _c.TF_SetAttrTensorList(d, bname, (_p * max(1, n))(*(t._handle() for t in ts)),
                                                     n, st)
    raise TypeError("tfc: unsupported attr type list(%s)" % kind)


class _Closing:
    """`with X() as x:` closes x at the end of the block (Graph, Session)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Graph(_Closing):
    """A TF_Graph with an op builder. Ops are added with op(); placeholder(), constant(),
    variable(), gradients() and train_step() build the common pieces."""

    def __init__(self):
        self._ptr = _c.TF_NewGraph()
        if not self._ptr:
            raise MemoryError("TF_NewGraph")
        self._opdefs = {}
        _live_graphs.add(self)

    def _handle(self):
        if not self._ptr:
            raise ValueError("tfc: the graph is closed")
        return self._ptr

    def close(self):
        """Deletes the graph (tfc defers it until its last session is deleted)."""
        if getattr(self, "_ptr", None):
            _c.TF_DeleteGraph(self._ptr)
            self._ptr = None

    __del__ = close

    def _attr_types(self, op_type):
        if op_type not in self._opdefs:
            buf = _c.TF_NewBuffer()
            try:
                with _Status() as st:
                    _c.TF_GraphGetOpDef(self._handle(), op_type.encode(), buf, st.ptr)
                    ok = _c.TF_GetCode(st.ptr) == 0
                raw = ctypes.string_at(buf.contents.data, buf.contents.length) if ok else b""
            finally:
                _c.TF_DeleteBuffer(buf)
            self._opdefs[op_type] = _opdef_attr_types(raw)  # unknown op: TF_FinishOperation says so
        return self._opdefs[op_type]

    def unique_name(self, base):
        """base, or base_1, base_2, ... : the first name no op of the graph has."""
        name, i = base, 0
        while _c.TF_GraphOperationByName(self._handle(), name.encode()):
            i += 1
            name = "%s_%d" % (base, i)
        return name

    def op(self, op_type, inputs=(), attrs=None, name=None, control_inputs=(), device=None):
        """Adds an op and returns its Operation. inputs: Outputs (an Operation means its output 0);
        a list among them is a list input (N * T). attrs: name -> value, converted by the op def's
        attr type (a list for a shape, a DType or name for a type, a value or Tensor for a tensor).
        Raises TFError (the graph is then unchanged)."""
        owned, setters = [], []
        try:
            ins = [[_as_output(y)._c() for y in x] if isinstance(x, (list, tuple)) else _as_output(x)._c()
                   for x in inputs]
            ctrl = [c._ptr for c in control_inputs]
            types = self._attr_types(op_type)
            for k, v in (attrs or {}).items():
                setters.append(_prepare_attr(k, v, types.get(k), owned))
            name = name or self.unique_name(op_type)
            desc = _c.TF_NewOperation(self._handle(), op_type.encode(), name.encode())
            with _Status() as st:
                for x in ins:  # from here on nothing raises until TF_FinishOperation
                    if isinstance(x, list):
                        _c.TF_AddInputList(desc, (_TFOutput * max(1, len(x)))(*x), len(x))
                    else:
                        _c.TF_AddInput(desc, x)
                for c in ctrl:
                    _c.TF_AddControlInput(desc, c)
                if device:
                    _c.TF_SetDevice(desc, device.encode())
                for s in setters:
                    s(desc, st.ptr)
                    if _c.TF_GetCode(st.ptr) != 0:
                        break
                if _c.TF_GetCode(st.ptr) != 0:  # finish anyway (it frees desc), report the first error
                    with _Status() as ignored:
                        _c.TF_FinishOperation(desc, ignored.ptr)
                    st.check()
                ptr = _c.TF_FinishOperation(desc, st.ptr)
                st.check()
            return Operation(self, ptr)
        finally:
            for t in owned:
                t.close()

    def operation(self, name):
        """The op named name; KeyError when there is none."""
        ptr = _c.TF_GraphOperationByName(self._handle(), name.encode())
        if not ptr:
            raise KeyError("tfc: no op named '%s'" % name)
        return Operation(self, ptr)

    def operations(self):
        pos = ctypes.c_size_t(0)
        while True:
            ptr = _c.TF_GraphNextOperation(self._handle(), ctypes.byref(pos))
            if not ptr:
                return
            yield Operation(self, ptr)

    def placeholder(self, dtype, shape=None, name="Placeholder"):
        attrs = {"dtype": as_dtype(dtype)}
        if shape is not None:
            attrs["shape"] = Shape(shape)
        return self.op("Placeholder", attrs=attrs, name=self.unique_name(name))[0]

    def constant(self, value, dtype=None, name="Const"):
        t = value if isinstance(value, Tensor) else Tensor(value, dtype)
        try:
            return self.op("Const", attrs={"value": t, "dtype": t.dtype}, name=self.unique_name(name))[0]
        finally:
            if t is not value:
                t.close()

    def variable(self, initial_value, dtype=None, name="Variable"):
        """A resource variable (VarHandleOp, shared_name = its name) and its initialiser."""
        init = self.constant(initial_value, dtype, name=name + "/initial_value")
        name = self.unique_name(name)
        handle = self.op("VarHandleOp", name=name, attrs={
            "dtype": init.dtype, "shape": Shape(init.shape), "shared_name": name})[0]
        assign = self.op("AssignVariableOp", [handle, init], {"dtype": init.dtype}, name=name + "/Assign")
        read = self.op("ReadVariableOp", [handle], {"dtype": init.dtype}, name=name + "/Read")[0]
        return Variable(handle, read, assign)

    def gradients(self, ys, xs, grad_ys=None, prefix=None):
        """d(sum ys)/d(x) for each x (TF_AddGradients): a list of Outputs, None where a y does not
        depend on x."""
        ys = [_as_output(y) for y in (ys if isinstance(ys, (list, tuple)) else [ys])]
        xs = [_as_output(x) for x in (xs if isinstance(xs, (list, tuple)) else [xs])]
        cy = (_TFOutput * len(ys))(*(y._c() for y in ys))
        cx = (_TFOutput * len(xs))(*(x._c() for x in xs))
        cdx = None if grad_ys is None else (_TFOutput * len(ys))(*(_as_output(d)._c() for d in grad_ys))
        dy = (_TFOutput * len(xs))()
        with _Status() as st:
            if prefix:
                _c.TF_AddGradientsWithPrefix(self._handle(), prefix.encode(), cy, len(ys), cx, len(xs), cdx,
                                             st.ptr, dy)
            else:
                _c.TF_AddGradients(self._handle(), cy, len(ys), cx, len(xs), cdx, st.ptr, dy)
            st.check()
        return [Output(Operation(self, d.oper), d.index) if d.oper else None for d in dy]

    _OPTIMIZERS = {"gradient_descent": 0, "sgd": 0, "momentum": 1, "adagrad": 2, "adadelta": 3,
                   "rmsprop": 4, "centered_rmsprop": 5, "adam": 6, "adamax": 7, "ftrl": 8}

    def train_step(self, loss, variables, optimizer="adam", learning_rate=0.001, name="train", **hyper):
        """A training step (TFC_AddTrainStep): returns (step, init_slots) Operations. Run
        init_slots once after the variables' initialisers, then step once per step. hyper sets
        fields of TFC_Optimizer (momentum, beta1, beta2, epsilon, rho, ...)."""
        if _c.TFC_AddTrainStep is None:
            raise NotImplementedError("tfc: %s has no TFC_AddTrainStep" % library_path)
        kind = self._OPTIMIZERS.get(optimizer)
        if kind is None:
            raise ValueError("tfc: unknown optimizer %r (one of %s)" % (optimizer, sorted(self._OPTIMIZERS)))
        opt = _TFCOptimizer()
        _c.TFC_OptimizerDefaults(ctypes.byref(opt), kind, learning_rate)
        for k, v in hyper.items():
            if k not in dict(_TFCOptimizer._fields_) or k == "kind":
                raise TypeError("tfc: unknown optimizer parameter %r" % k)
            setattr(opt, k, v)
        hs = [v.handle if isinstance(v, Variable) else _as_output(v) for v in variables]
        cv = (_TFOutput * max(1, len(hs)))(*(h._c() for h in hs))
        init = _p()
        with _Status() as st:
            step = _c.TFC_AddTrainStep(self._handle(), _as_output(loss)._c(), cv, len(hs), ctypes.byref(opt),
                                       self.unique_name(name).encode(), ctypes.byref(init), st.ptr)
            st.check()
        return Operation(self, step), (Operation(self, init.value) if init.value else None)

    def to_graph_def(self):
        """The graph as a serialized GraphDef (bytes)."""
        buf = _c.TF_NewBuffer()
        try:
            with _Status() as st:
                _c.TF_GraphToGraphDef(self._handle(), buf, st.ptr)
                st.check()
            return ctypes.string_at(buf.contents.data, buf.contents.length)
        finally:
            _c.TF_DeleteBuffer(buf)

    def import_graph_def(self, graph_def, prefix=""):
        """Imports a serialized GraphDef; names get "<prefix>/" when prefix is set."""
        buf = _c.TF_NewBufferFromString(graph_def, len(graph_def))
        opts = _c.TF_NewImportGraphDefOptions()
        try:
            if prefix:
                _c.TF_ImportGraphDefOptionsSetPrefix(opts, prefix.encode())
            with _Status() as st:
                _c.TF_GraphImportGraphDef(self._handle(), buf, opts, st.ptr)
                st.check()
        finally:
            _c.TF_DeleteImportGraphDefOptions(opts)
            _c.TF_DeleteBuffer(buf)


class Variable:
    """A resource variable: .handle (VarHandleOp output, what train_step takes), .value (its
    ReadVariableOp, to use in the model) and .initializer (an AssignVariableOp to run once)."""
    __slots__ = ("handle", "value", "initializer")

    def __init__(self, handle, value, initializer):
        self.handle, self.value, self.initializer = handle, value, initializer

    name = property(lambda self: self.handle.op.name)
    dtype = property(lambda self: self.value.dtype)

    def __repr__(self):
        return "<tfc.Variable '%s' %s>" % (self.name, self.dtype.name)


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


class Session(_Closing):
    """A TF_Session on a graph. Use as a context manager or call close()."""

    def __init__(self, graph, intra_op_threads=0, inter_op_threads=0, config=None, target=None):
        self._ptr = None
        self.graph = graph
        opts = _c.TF_NewSessionOptions()
        try:
            with _Status() as st:
                if target:
                    _c.TF_SetTarget(opts, target.encode())
                if config:
                    _c.TF_SetConfig(opts, config, len(config), st.ptr)
                    st.check()
                if intra_op_threads and _c.TFC_SessionOptionsSetIntraOpThreads:
                    _c.TFC_SessionOptionsSetIntraOpThreads(opts, intra_op_threads)
                if inter_op_threads and _c.TFC_SessionOptionsSetInterOpThreads:
                    _c.TFC_SessionOptionsSetInterOpThreads(opts, inter_op_threads)
                ptr = _c.TF_NewSession(graph._handle(), opts, st.ptr)
                st.check()
                self._ptr = ptr
        finally:
            _c.TF_DeleteSessionOptions(opts)
        _live_sessions.add(self)

    def close(self):
        if getattr(self, "_ptr", None):
            with _Status() as st:
                _c.TF_DeleteSession(self._ptr, st.ptr)  # closes first
            self._ptr = None

    __del__ = close

    def _output(self, x):
        if isinstance(x, str):
            op, _, idx = x.partition(":")
            return Output(self.graph.operation(op), int(idx or 0))
        return _as_output(x)

    def _target(self, x):
        return self.graph.operation(x) if isinstance(x, str) else x

    def run(self, fetches=None, feeds=None, targets=()):
        """Runs one step. fetches: an Output (or "op:0"), an Operation (run as a target, gives
        None) or a list of them; returns one value or a list (NumPy arrays, or nested lists
        without NumPy). feeds: {Output or name: value}, values are Tensors or anything Tensor()
        takes (C-contiguous NumPy arrays are shared, not copied). targets: Operations to run."""
        if not self._ptr:
            raise ValueError("tfc: the session is closed")
        single = fetches is not None and not isinstance(fetches, (list, tuple))
        items = [] if fetches is None else ([fetches] if single else list(fetches))
        outs, slots, tgts = [], [], [self._target(t) for t in
                                     (targets if isinstance(targets, (list, tuple)) else [targets])]
        for f in items:
            if isinstance(f, Operation):
                tgts.append(f)
                slots.append(None)
            else:
                slots.append(len(outs))
                outs.append(self._output(f))
        feed_keys, feed_vals, made = [], [], []
        try:
            for k, v in (feeds or {}).items():
                key = self._output(k)
                t = v if isinstance(v, Tensor) else Tensor(v, key.dtype, copy=False)
                if t is not v:
                    made.append(t)
                feed_keys.append(key)
                feed_vals.append(t)
            values = self._run(feed_keys, feed_vals, outs, tgts)
        finally:
            for t in made:
                t.close()
        result = [None if s is None else values[s] for s in slots]
        return result[0] if single else result

    def _run(self, feed_keys, feed_vals, outs, tgts):
        nf, no, nt = len(feed_keys), len(outs), len(tgts)
        c_in = (_TFOutput * max(1, nf))(*(k._c() for k in feed_keys))
        c_vals = (_p * max(1, nf))(*(t._handle() for t in feed_vals))
        c_out = (_TFOutput * max(1, no))(*(o._c() for o in outs))
        c_res = (_p * max(1, no))()
        c_tgt = (_p * max(1, nt))(*(t._ptr for t in tgts))
        with _Status() as st:
            _c.TF_SessionRun(self._ptr, None, c_in, c_vals, nf, c_out, c_res, no, c_tgt, nt, None, st.ptr)
            tensors = [Tensor._adopt(c_res[i]) for i in range(no) if c_res[i]]  # own them first
            try:
                st.check()
                return [t.value() for t in tensors]
            finally:
                for t in tensors:
                    t.close()


# Sessions and graphs still open at exit are closed while the interpreter (and ctypes) still work.
_live_sessions = weakref.WeakSet()
_live_graphs = weakref.WeakSet()


@atexit.register
def _close_all():
    for s in list(_live_sessions):
        s.close()
    for g in list(_live_graphs):
        g.close()


def set_log_level(level):
    """tfc's log threshold: 0 info, 1 warning, 2 error, 3 silent (TFC_SetLogLevel)."""
    if _c.TFC_SetLogLevel:
        _c.TFC_SetLogLevel(int(level))
