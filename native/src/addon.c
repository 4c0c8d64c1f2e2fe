/*
 * Node-API surface of esdlab's native backend (described for TypeScript in
 * src/linalg/backends/native/binding.ts). Every kernel call returns a Promise and runs as
 * napi_async_work on a libuv worker thread, so the event loop never blocks on BLAS/LAPACK. The
 * operands are the caller's typed arrays (no copy): a reference to each is held until the call
 * completes, so the garbage collector cannot free their memory while a worker writes into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define NAPI_VERSION 8
#include <node_api.h>

#include "kernels.h"
#include "elementwise.h"

#define MAX_OPERANDS 4

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref refs[MAX_OPERANDS];
  int ref_count;
  kernel_args args;
  int info;
} call_state;

#define CHECK(env, expr)                                                          \
  do {                                                                            \
    if ((expr) != napi_ok) {                                                      \
      napi_throw_error((env), "ESDLAB_NATIVE", "Node-API call failed: " #expr);   \
      return NULL;                                                                \
    }                                                                             \
  } while (0)

static int read_int(napi_env env, napi_value v, const char *what, int *out) {
  double x;
  if (napi_get_value_double(env, v, &x) != napi_ok || x < 0 || x > 2147483647.0 || x != (double)(int)x) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a non-negative 32-bit integer", what);
    napi_throw_type_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  *out = (int)x;
  return 1;
}

static int read_double(napi_env env, napi_value v, const char *what, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    char message[128];
    snprintf(message, sizeof message, "%s must be a number", what);
    napi_throw_type_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  return 1;
}

static int read_bool(napi_env env, napi_value v, int *out) {
  bool b = false;
  if (napi_get_value_bool(env, v, &b) != napi_ok) {
    napi_throw_type_error(env, "ESDLAB_NATIVE", "flags must be booleans");
    return 0;
  }
  *out = b ? 1 : 0;
  return 1;
}

/*
 * Reads a Float32Array/Float64Array operand of at least min_length elements whose type matches
 * the call's dtype (is_f64 = -1: this operand sets it), and takes a reference to keep it alive.
 */
static int read_array(napi_env env, call_state *state, napi_value v, const char *what, size_t min_length,
                      int *is_f64, void **data) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length;
  void *pointer;
  char message[160];
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, &length, &pointer, NULL, NULL) != napi_ok ||
      (type != napi_float32_array && type != napi_float64_array)) {
    snprintf(message, sizeof message, "%s must be a Float32Array or Float64Array", what);
    napi_throw_type_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  int this_f64 = type == napi_float64_array;
  if (*is_f64 >= 0 && this_f64 != *is_f64) {
    snprintf(message, sizeof message, "%s has a different dtype from the first operand", what);
    napi_throw_type_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  if (length < min_length) {
    snprintf(message, sizeof message, "%s holds %zu elements, fewer than the %zu the shape needs", what, length,
             min_length);
    napi_throw_range_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  *is_f64 = this_f64;
  *data = pointer;
  if (napi_create_reference(env, v, 1, &state->refs[state->ref_count]) != napi_ok) {
    napi_throw_error(env, "ESDLAB_NATIVE", "could not reference an operand");
    return 0;
  }
  state->ref_count++;
  return 1;
}

static void release(napi_env env, call_state *state) {
  for (int i = 0; i < state->ref_count; i++) napi_delete_reference(env, state->refs[i]);
  if (state->work) napi_delete_async_work(env, state->work);
  free(state);
}

static void execute(napi_env env, void *data) {
  (void)env;
  call_state *state = data;
  state->info = kernel_run(&state->args);
}

static void complete(napi_env env, napi_status status, void *data) {
  call_state *state = data;
  napi_value result;
  if (status != napi_ok) {
    napi_value message;
    napi_create_string_utf8(env, "native call was cancelled", NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &result);
    napi_reject_deferred(env, state->deferred, result);
  } else {
    /* info (LAPACK's convention) goes back as is: the TypeScript side turns > 0 into a
       NumericalError and < 0 (LAPACKE's NaN check names the matrix argument) into an InputError. */
    napi_create_int32(env, state->info, &result);
    napi_resolve_deferred(env, state->deferred, result);
  }
  release(env, state);
}

/* Queues the prepared call on the libuv pool and returns its promise; it resolves to LAPACK's info
   (0 for the BLAS calls) and rejects only when the work was cancelled. */
static napi_value start(napi_env env, call_state *state, const char *name) {
  napi_value promise, resource_name;
  if (napi_create_promise(env, &state->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_create_async_work(env, NULL, resource_name, execute, complete, state, &state->work) != napi_ok ||
      napi_queue_async_work(env, state->work) != napi_ok) {
    release(env, state);
    napi_throw_error(env, "ESDLAB_NATIVE", "could not queue the native call");
    return NULL;
  }
  return promise;
}

static call_state *new_state(napi_env env, kernel_op op) {
  call_state *state = calloc(1, sizeof *state);
  if (!state) napi_throw_error(env, "ESDLAB_NATIVE", "out of memory");
  else state->args.op = op;
  return state;
}

#define FAIL_IF(cond)          \
  do {                         \
    if (!(cond)) {             \
      release(env, state);     \
      return NULL;             \
    }                          \
  } while (0)

#define GET_ARGS(count)                                                         \
  size_t argc = (count);                                                        \
  napi_value argv[(count)];                                                     \
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));             \
  if (argc < (count)) {                                                         \
    napi_throw_type_error(env, "ESDLAB_NATIVE", "too few arguments");           \
    return NULL;                                                                \
  }

/* gemm(transA, transB, m, n, k, alpha, a, b, beta, c, threads) */
static napi_value gemm(napi_env env, napi_callback_info info) {
  GET_ARGS(11);
  call_state *state = new_state(env, KERNEL_GEMM);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_bool(env, argv[0], &p->flag_a) && read_bool(env, argv[1], &p->flag_b));
  FAIL_IF(read_int(env, argv[2], "m", &p->m) && read_int(env, argv[3], "n", &p->n) && read_int(env, argv[4], "k", &p->k));
  FAIL_IF(read_double(env, argv[5], "alpha", &p->alpha) && read_double(env, argv[8], "beta", &p->beta));
  FAIL_IF(read_array(env, state, argv[6], "a", (size_t)p->m * p->k, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[7], "b", (size_t)p->k * p->n, &f64, &p->b));
  FAIL_IF(read_array(env, state, argv[9], "c", (size_t)p->m * p->n, &f64, &p->c));
  FAIL_IF(read_int(env, argv[10], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.gemm");
}

/* syrk(trans, n, k, alpha, a, beta, c, threads) */
static napi_value syrk(napi_env env, napi_callback_info info) {
  GET_ARGS(8);
  call_state *state = new_state(env, KERNEL_SYRK);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_bool(env, argv[0], &p->flag_a));
  FAIL_IF(read_int(env, argv[1], "n", &p->n) && read_int(env, argv[2], "k", &p->k));
  FAIL_IF(read_double(env, argv[3], "alpha", &p->alpha) && read_double(env, argv[5], "beta", &p->beta));
  FAIL_IF(read_array(env, state, argv[4], "a", (size_t)p->n * p->k, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[6], "c", (size_t)p->n * p->n, &f64, &p->c));
  FAIL_IF(read_int(env, argv[7], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.syrk");
}

/* gemv(trans, m, n, alpha, a, x, beta, y, threads); A is m x n as stored. */
static napi_value gemv(napi_env env, napi_callback_info info) {
  GET_ARGS(9);
  call_state *state = new_state(env, KERNEL_GEMV);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_bool(env, argv[0], &p->flag_a));
  FAIL_IF(read_int(env, argv[1], "m", &p->m) && read_int(env, argv[2], "n", &p->n));
  FAIL_IF(read_double(env, argv[3], "alpha", &p->alpha) && read_double(env, argv[6], "beta", &p->beta));
  FAIL_IF(read_array(env, state, argv[4], "a", (size_t)p->m * p->n, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[5], "x", (size_t)(p->flag_a ? p->m : p->n), &f64, &p->b));
  FAIL_IF(read_array(env, state, argv[7], "y", (size_t)(p->flag_a ? p->n : p->m), &f64, &p->c));
  FAIL_IF(read_int(env, argv[8], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.gemv");
}

/* potrf(n, a, threads) -> info; a is overwritten by L. */
static napi_value potrf(napi_env env, napi_callback_info info) {
  GET_ARGS(3);
  call_state *state = new_state(env, KERNEL_POTRF);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_int(env, argv[0], "n", &p->n));
  FAIL_IF(read_array(env, state, argv[1], "a", (size_t)p->n * p->n, &f64, &p->a));
  FAIL_IF(read_int(env, argv[2], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.potrf");
}

/* potrs(n, nrhs, l, b, threads); b (n x nrhs) is overwritten by X. */
static napi_value potrs(napi_env env, napi_callback_info info) {
  GET_ARGS(5);
  call_state *state = new_state(env, KERNEL_POTRS);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_int(env, argv[0], "n", &p->n) && read_int(env, argv[1], "nrhs", &p->k));
  FAIL_IF(read_array(env, state, argv[2], "l", (size_t)p->n * p->n, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[3], "b", (size_t)p->n * p->k, &f64, &p->b));
  FAIL_IF(read_int(env, argv[4], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.potrs");
}

/* syevd(n, a, w, vectors, threads, twoStage) -> info; twoStage (values only: LAPACK's ?syevd_2stage) */
static napi_value syevd(napi_env env, napi_callback_info info) {
  GET_ARGS(6);
  call_state *state = new_state(env, KERNEL_SYEVD);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_int(env, argv[0], "n", &p->n));
  FAIL_IF(read_array(env, state, argv[1], "a", (size_t)p->n * p->n, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[2], "w", (size_t)p->n, &f64, &p->b));
  FAIL_IF(read_bool(env, argv[3], &p->flag_a) && read_int(env, argv[4], "threads", &p->threads) && read_bool(env, argv[5], &p->flag_b));
  if (p->flag_a && p->flag_b) {
    release(env, state);
    napi_throw_type_error(env, "ESDLAB_NATIVE", "syevd: the two-stage solver computes eigenvalues only (LAPACK has no vectors for it)");
    return NULL;
  }
  p->is_f64 = f64;
  return start(env, state, "esdlab.syevd");
}

/* gesdd(m, n, a, s, u, vt, threads) -> info; u and vt are null for values only. */
static napi_value gesdd(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  call_state *state = new_state(env, KERNEL_GESDD);
  if (!state) return NULL;
  kernel_args *p = &state->args;
  int f64 = -1;
  FAIL_IF(read_int(env, argv[0], "m", &p->m) && read_int(env, argv[1], "n", &p->n));
  size_t k = (size_t)(p->m < p->n ? p->m : p->n);
  FAIL_IF(read_array(env, state, argv[2], "a", (size_t)p->m * p->n, &f64, &p->a));
  FAIL_IF(read_array(env, state, argv[3], "s", k, &f64, &p->b));
  napi_valuetype u_type;
  CHECK(env, napi_typeof(env, argv[4], &u_type));
  p->flag_a = u_type != napi_null && u_type != napi_undefined;
  if (p->flag_a) {
    FAIL_IF(read_array(env, state, argv[4], "u", (size_t)p->m * k, &f64, &p->c));
    FAIL_IF(read_array(env, state, argv[5], "vt", k * (size_t)p->n, &f64, &p->d));
  }
  FAIL_IF(read_int(env, argv[6], "threads", &p->threads));
  p->is_f64 = f64;
  return start(env, state, "esdlab.gesdd");
}

/* blasInfo() -> { config, core, maxThreads } */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, config, core, max_threads;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_string_utf8(env, kernel_blas_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(env, napi_create_string_utf8(env, kernel_blas_core(), NAPI_AUTO_LENGTH, &core));
  CHECK(env, napi_create_int32(env, kernel_blas_max_threads(), &max_threads));
  CHECK(env, napi_set_named_property(env, result, "config", config));
  CHECK(env, napi_set_named_property(env, result, "core", core));
  CHECK(env, napi_set_named_property(env, result, "maxThreads", max_threads));
  return result;
}

/* ---- the fused elementwise kernels (elementwise.h): synchronous, a few milliseconds each ---- */

/* A typed array of exactly `want` (napi_float32_array or napi_float64_array) with at least min_length elements. */
static int typed(napi_env env, napi_value v, const char *what, napi_typedarray_type want, size_t min_length, void **data) {
  bool is_typed = false;
  napi_typedarray_type type;
  size_t length;
  char message[160];
  if (napi_is_typedarray(env, v, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, v, &type, &length, data, NULL, NULL) != napi_ok || type != want) {
    snprintf(message, sizeof message, "%s must be a %s", what, want == napi_float32_array ? "Float32Array" : "Float64Array");
    napi_throw_type_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  if (length < min_length) {
    snprintf(message, sizeof message, "%s holds %zu elements, fewer than the %zu the shape needs", what, length, min_length);
    napi_throw_range_error(env, "ESDLAB_NATIVE", message);
    return 0;
  }
  return 1;
}

static int is_nullish(napi_env env, napi_value v) {
  napi_valuetype type;
  return napi_typeof(env, v, &type) == napi_ok && (type == napi_null || type == napi_undefined);
}

/* tanhBackwardF32(z, rows, cols, a, y, scale, acc | null) -> the sum of squared residuals */
static napi_value tanh_backward_f32(napi_env env, napi_callback_info info) {
  GET_ARGS(7);
  int rows, cols;
  double scale;
  void *z, *a, *y, *acc = NULL;
  if (!read_int(env, argv[1], "rows", &rows) || !read_int(env, argv[2], "cols", &cols) ||
      !read_double(env, argv[5], "scale", &scale))
    return NULL;
  size_t size = (size_t)rows * (size_t)cols;
  if (!typed(env, argv[0], "z", napi_float32_array, size, &z) || !typed(env, argv[3], "a", napi_float32_array, (size_t)cols, &a) ||
      !typed(env, argv[4], "y", napi_float64_array, (size_t)rows, &y))
    return NULL;
  if (!is_nullish(env, argv[6]) && !typed(env, argv[6], "acc", napi_float64_array, (size_t)cols, &acc)) return NULL;
  double loss;
  if (esdlab_tanh_backward_f32(z, (size_t)rows, (size_t)cols, a, y, scale, acc, &loss) != 0) {
    napi_throw_range_error(env, "ESDLAB_NATIVE", "tanhBackwardF32: the native addon could not allocate its row scratch");
    return NULL;
  }
  napi_value result;
  CHECK(env, napi_create_double(env, loss, &result));
  return result;
}

/* tanhScaleF32(source, out, length, scale) */
static napi_value tanh_scale_f32(napi_env env, napi_callback_info info) {
  GET_ARGS(4);
  int length;
  double scale;
  void *source, *out;
  if (!read_int(env, argv[2], "length", &length) || !read_double(env, argv[3], "scale", &scale) ||
      !typed(env, argv[0], "source", napi_float32_array, (size_t)length, &source) ||
      !typed(env, argv[1], "out", napi_float64_array, (size_t)length, &out))
    return NULL;
  esdlab_tanh_scale_f32(source, out, (size_t)length, scale);
  return NULL;
}

/* adam(p, grad, m, v, n, lr, c1, c2, wd, b1, b2, eps): p's dtype (f32 or f64) for all four arrays */
static napi_value adam(napi_env env, napi_callback_info info) {
  GET_ARGS(12);
  int n;
  double s[7];
  if (!read_int(env, argv[4], "n", &n)) return NULL;
  for (int i = 0; i < 7; i++)
    if (!read_double(env, argv[5 + i], "an Adam scalar", &s[i])) return NULL;
  bool is_typed = false;
  napi_typedarray_type type = napi_float32_array;
  if (napi_is_typedarray(env, argv[0], &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, argv[0], &type, NULL, NULL, NULL, NULL) != napi_ok ||
      (type != napi_float32_array && type != napi_float64_array)) {
    napi_throw_type_error(env, "ESDLAB_NATIVE", "p must be a Float32Array or Float64Array");
    return NULL;
  }
  void *p, *g, *m, *v;
  if (!typed(env, argv[0], "p", type, (size_t)n, &p) || !typed(env, argv[1], "grad", type, (size_t)n, &g) ||
      !typed(env, argv[2], "m", type, (size_t)n, &m) || !typed(env, argv[3], "v", type, (size_t)n, &v))
    return NULL;
  if (type == napi_float32_array) esdlab_adam_f32(p, g, m, v, (size_t)n, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
  else esdlab_adam_f64(p, g, m, v, (size_t)n, s[0], s[1], s[2], s[3], s[4], s[5], s[6]);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"syrk", NULL, syrk, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gemv", NULL, gemv, NULL, NULL, NULL, napi_enumerable, NULL},
      {"potrf", NULL, potrf, NULL, NULL, NULL, napi_enumerable, NULL},
      {"potrs", NULL, potrs, NULL, NULL, NULL, napi_enumerable, NULL},
      {"syevd", NULL, syevd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gesdd", NULL, gesdd, NULL, NULL, NULL, napi_enumerable, NULL},
      {"blasInfo", NULL, blas_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tanhBackwardF32", NULL, tanh_backward_f32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tanhScaleF32", NULL, tanh_scale_f32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties));
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
