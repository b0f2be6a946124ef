# tests/faults: faults (killed supervisor and monitor, full filesystem, injected start failures) and stale state.
