"""Fixtures for the gradient ops of the image-shaped nn ops (Conv2DBackpropInput,
Conv2DBackpropFilter, ...) computed by real TensorFlow's stock CPU kernels (oneDNN off, so errors
and layouts are those of TensorFlow's own kernels). Run: python3 tools/gen_conv_grad_fixtures.py."""
import os

os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from fixturegen import FixtureWriter  # noqa: E402

rng = np.random.default_rng(5)
out = FixtureWriter(os.path.join(os.path.dirname(__file__), "..", "tests", "data", "conv_grad_cases.txt"),
                    os.path.basename(__file__))
F32_TOL = (1e-4, 1e-5)


def rand(shape, dt):
    return rng.standard_normal(shape).astype(dt)


def out_size(n, k, s, d, padding, pads):
    eff = (k - 1) * d + 1
    if padding == "SAME":
        return (n + s - 1) // s
    if padding == "EXPLICIT":
        return (n + pads[0] + pads[1] - eff + s) // s
    return (n - eff + s) // s


def conv_bp(name, xs, fs, strides=(1, 1, 1, 1), padding="VALID", dt=np.float32, err=False, dy_shape=None,
            **kw):
    attrs = {"strides": list(strides), "padding": padding}
    attrs.update(kw)
    dil = kw.get("dilations", [1, 1, 1, 1])
    ep = kw.get("explicit_paddings", [0] * 8)
    oh = out_size(xs[1], fs[0], max(strides[1], 1), dil[1], padding, ep[2:4])
    ow = out_size(xs[2], fs[1], strides[2], dil[2], padding, ep[4:6])
    dy = rand(dy_shape or (xs[0], max(oh, 0), max(ow, 0), fs[3]), dt)
    tol = F32_TOL if dt == np.float32 else None
    suffix = "%s_%s" % (name, dt.__name__)
    out.case("Conv2DBackpropInput_" + suffix, "Conv2DBackpropInput",
             [np.array(xs, np.int32), rand(fs, dt), dy], attrs,
             input_names=["input_sizes", "filter", "out_backprop"], tol=tol, expect_error=err)
    out.case("Conv2DBackpropFilter_" + suffix, "Conv2DBackpropFilter",
             [rand(xs, dt), np.array(fs, np.int32), dy], attrs,
             input_names=["input", "filter_sizes", "out_backprop"], tol=tol, expect_error=err)


# ---- Conv2DBackpropInput, Conv2DBackpropFilter ----
for dt in [np.float32, np.float64]:
    conv_bp("valid3x3", (2, 5, 5, 3), (3, 3, 3, 4), dt=dt)
    conv_bp("same_s2", (1, 7, 6, 2), (3, 3, 2, 3), (1, 2, 2, 1), "SAME", dt=dt)
    conv_bp("valid_s2", (1, 7, 6, 2), (3, 3, 2, 3), (1, 2, 2, 1), "VALID", dt=dt)
    conv_bp("same_even", (2, 4, 5, 2), (2, 2, 2, 3), padding="SAME", dt=dt)
    conv_bp("explicit", (1, 5, 6, 2), (3, 3, 2, 2), (1, 2, 1, 1), "EXPLICIT",
            explicit_paddings=[0, 0, 1, 2, 2, 1, 0, 0], dt=dt)
    conv_bp("1x1", (2, 4, 3, 5), (1, 1, 5, 3), dt=dt)
    conv_bp("empty_batch", (0, 4, 4, 2), (2, 2, 2, 3), dt=dt)
# TensorFlow's CPU kernels reject dilations > 1; its GPU (cuDNN) kernels take them: "error cpu".
conv_bp("err_dil_valid", (1, 7, 7, 2), (3, 2, 2, 2), padding="VALID", dilations=[1, 2, 3, 1], err="cpu")
conv_bp("err_dil_same_s2", (1, 8, 7, 3), (3, 3, 3, 2), (1, 2, 1, 1), "SAME", dilations=[1, 2, 2, 1], err="cpu")
conv_bp("lenet_c2", (1, 14, 14, 3), (5, 5, 3, 4), padding="VALID")
conv_bp("err_dy_shape", (1, 5, 5, 2), (3, 3, 2, 3), dy_shape=(1, 4, 3, 3), err=True)
conv_bp("err_depth", (1, 4, 4, 4), (2, 2, 3, 4), dy_shape=(1, 3, 3, 4), err=True)
conv_bp("err_nchw", (1, 4, 4, 4), (2, 2, 4, 4), data_format="NCHW", dy_shape=(1, 3, 3, 4), err="cpu")
conv_bp("err_stride0", (1, 4, 4, 4), (2, 2, 4, 4), (1, 0, 1, 1), dy_shape=(1, 3, 3, 4), err=True)


# ---- MaxPoolGrad, AvgPoolGrad ----
def pool_grad(op, name, xs, ksize, strides, padding, dt=np.float32, err=False, ties=False, dy_shape=None,
              **kw):
    attrs = {"ksize": list(ksize), "strides": list(strides), "padding": padding}
    attrs.update(kw)
    if ties:
        x = rng.integers(-2, 3, xs).astype(dt)
    else:
        x = rand(xs, dt)
    ep = kw.get("explicit_paddings", [0] * 8)
    oh = out_size(xs[1], ksize[1], max(strides[1], 1), 1, padding, ep[2:4])
    ow = out_size(xs[2], ksize[2], max(strides[2], 1), 1, padding, ep[4:6])
    yshape = (xs[0], max(oh, 0), max(ow, 0), xs[3])
    dy = rand(dy_shape or yshape, dt)
    tol = F32_TOL if dt == np.float32 else None
    if op == "MaxPoolGrad":
        y = rand(yshape, dt)  # TensorFlow's CPU kernel recomputes the argmax from orig_input
        inputs, names = [x, y, dy], ["orig_input", "orig_output", "grad"]
    else:
        inputs, names = [np.array(xs, np.int32), dy], ["orig_input_shape", "grad"]
    out.case("%s_%s_%s" % (op, name, dt.__name__), op, inputs, attrs, input_names=names, tol=tol,
             expect_error=err)


for op in ["MaxPoolGrad", "AvgPoolGrad"]:
    for dt in [np.float32, np.float64]:
        pool_grad(op, "2x2_valid", (2, 4, 4, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID", dt)
        pool_grad(op, "3x3_s2_same", (1, 7, 6, 2), (1, 3, 3, 1), (1, 2, 2, 1), "SAME", dt)
        pool_grad(op, "3x2_s1_same", (2, 5, 5, 2), (1, 3, 2, 1), (1, 1, 1, 1), "SAME", dt)
    pool_grad(op, "empty", (0, 4, 4, 2), (1, 2, 2, 1), (1, 2, 2, 1), "SAME")
    pool_grad(op, "err_nchw", (1, 4, 4, 2), (1, 1, 2, 2), (1, 1, 2, 2), "VALID", data_format="NCHW",
              dy_shape=(1, 4, 2, 1), err="cpu")
    pool_grad(op, "err_batch", (1, 4, 4, 2), (2, 2, 2, 1), (1, 2, 2, 1), "VALID", dy_shape=(1, 2, 2, 2),
              err=True)
pool_grad("MaxPoolGrad", "err_grad_shape", (1, 4, 4, 2), (1, 2, 2, 1), (1, 2, 2, 1), "VALID",
          dy_shape=(1, 3, 2, 2), err=True)
pool_grad("MaxPoolGrad", "ties", (1, 5, 5, 2), (1, 3, 3, 1), (1, 1, 1, 1), "SAME", ties=True)
pool_grad("MaxPoolGrad", "ties_s2", (2, 6, 6, 3), (1, 2, 2, 1), (1, 2, 2, 1), "VALID", ties=True)
pool_grad("MaxPoolGrad", "explicit", (1, 4, 5, 2), (1, 2, 2, 1), (1, 2, 2, 1), "EXPLICIT",
          explicit_paddings=[0, 0, 1, 1, 0, 1, 0, 0])
pool_grad("MaxPoolGrad", "err_depth", (1, 3, 3, 6), (1, 1, 1, 3), (1, 1, 1, 3), "VALID",
          dy_shape=(1, 3, 3, 2), err=True)
pool_grad("AvgPoolGrad", "window_too_big", (1, 4, 4, 2), (1, 5, 5, 1), (1, 1, 1, 1), "VALID",
          dy_shape=(1, 0, 0, 2))

out.write()
