# compiler
