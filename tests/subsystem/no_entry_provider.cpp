// A library that is a perfectly good shared object but exports no provider entry point.
extern "C" __attribute__((visibility("default"))) int NotAProviderEntryPoint() { return 42; }
