# runtime/control: the monitor's control socket (attach hands its seccomp listener to the supervisor).
cordon_runtime_SOURCES += runtime/control.c runtime/control.h runtime/control_client.c
# attach into a container with interception: the attached process's
# listener served through the control socket (real containers, root).
CONTROL_TESTS = tests/intercept/attach.sh
TESTS += $(CONTROL_TESTS)
dist_check_SCRIPTS += $(CONTROL_TESTS)
