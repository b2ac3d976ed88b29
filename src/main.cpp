#include "cli/command.h"

int main(int argc, char** argv) { return portrait::cli::Main(argc, argv); }
