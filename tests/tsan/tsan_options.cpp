// Stop at the first report, so the test that raced is the one that fails
// (the runner shows the end of the log: the report and its stacks).
extern "C" const char* __tsan_default_options() { return "halt_on_error=1:second_deadlock_stack=1"; }
