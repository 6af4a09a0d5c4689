/**
 * What every command shares: the exit codes and the option mixins (--db, --device/--dtype, --rehash,
 * --quiet). It uses no other package of the CLI, so the root's commands and the command packages
 * (model, bench, organism) all depend on it and never on each other's package.
 */
package taskvec.cli.common;
