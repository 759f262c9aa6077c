/* fixture: runs op test cases written by the generators under tools/ (real TensorFlow computed
 * the expected values) through the public C API, one graph per case.
 *
 * File format (text, one case after another; '#' starts a comment line):
 *   case <name>
 *   op <OpType>
 *   attr <name> <kind> <value...>    kinds: int, float, bool, type, string, shape (rank then dims,
 *                                    rank -1 = unknown), list_int (n then values), list_float,
 *                                    list_type (n then dtype names)
 *   list <n>                         the next n `input` lines form one list input (AddN, ConcatV2)
 *   input <dtype> <rank> <dims...> : <values...>     each input becomes a Const
 *   varinput <dtype> <rank> <dims...> : <values...>  an input given as a variable, for a ref arg (a
 *                                    VariableV2) or a resource arg (a VarHandleOp) of the op; a first
 *                                    step initialises it with the value (Assign / AssignVariableOp)
 *   uninitialized                    the previous varinput is left uninitialised (values ignored)
 *   varoutput <dtype> <rank> <dims...> : <values...> expected values of the varinputs after the op,
 *                                    in input order, read in a later step (Identity of the ref /
 *                                    ReadVariableOp); optional
 *   output <dtype> <rank> <dims...> : <values...>    expected outputs, in the op's output order
 *   tol <rtol> <atol>                optional, for float outputs (defaults 1e-5/1e-6, double 1e-10)
 *   error                            the op must fail (at TF_FinishOperation or TF_SessionRun;
 *                                    the variables' init step must succeed)
 *   end
 * dtypes use TensorFlow's names (float, double, int32, int64, bool, uint8, ...); values are decimal,
 * with nan, inf and -inf allowed for floating types. */
#ifndef TFC_TESTS_FIXTURE_H_
#define TFC_TESTS_FIXTURE_H_

/* Runs every case of the file at path. Prints one line per failing case. Returns the number of
 * failures, and sets *n_cases; -1 when the file cannot be read or parsed. */
int fixture_run_file(const char *path, int *n_cases);
/* The same, with each case's op pinned to `device` (a TF_SetDevice string) whose type is
 * device_type ("GPU"); on a device other than the CPU only for the cases it has a kernel for.
 * *n_run counts the cases run. Not thread-safe. */
int fixture_run_file_on(const char *path, const char *device, const char *device_type, int *n_cases, int *n_run);

#endif
