#!/bin/sh
# deps.sh - make sure the build and test dependencies are installed.
# As root, missing Debian packages are installed with apt-get; otherwise the
# exact command to run is printed and the script fails.
set -u
need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd pkg-config || need="$need pkg-config"
have_cmd cc || need="$need gcc"
have_cmd make || need="$need make"
have_pc libpcre2-8 || need="$need libpcre2-dev"
have_pc jansson || need="$need libjansson-dev"
have_pc sqlite3 || need="$need libsqlite3-dev"
have_pc libzstd || need="$need libzstd-dev"
have_pc zlib || need="$need zlib1g-dev"
have_cmd python3 || need="$need python3"
have_cmd zstd || need="$need zstd"
have_cmd gzip || need="$need gzip"
have_cmd sqlite3 || need="$need sqlite3"
have_cmd mandoc || need="$need mandoc"
have_cmd pflogsumm || need="$need pflogsumm"
if [ "${MT_DEPS_FULL:-0}" = 1 ]; then
	have_cmd clang || need="$need clang"
	have_cmd valgrind || need="$need valgrind"
	[ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
	    need="$need libclang-rt-dev"
fi
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && have_cmd apt-get; then
	echo "deps: installing:$need" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $need >/dev/null ||
	    { echo "deps: apt-get install$need failed" >&2; exit 1; }
	exit 0
fi
echo "deps: missing packages; run as root:" >&2
echo "    apt-get install$need" >&2
exit 1
