# runtime/control: the monitor's control socket (attach hands its seccomp listener to the supervisor).
