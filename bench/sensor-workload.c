// SPDX-License-Identifier: Apache-2.0
// The syscall-heavy workload of `npm run bench:sensor`: open/close, TCP connect/accept over
// loopback, and fork+exec loops. Prints one JSON line with the CPU time it used (self and
// children, user + system: BPF programs run in the workload's own context and show up here)
// and how many of each operation it did. Usage: sensor-workload DIR OPENS CONNECTS EXECS
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double tv_us(struct timeval t) { return t.tv_sec * 1e6 + t.tv_usec; }

static double now_us(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
	if (argc != 5) {
		fprintf(stderr, "usage: %s DIR OPENS CONNECTS EXECS\n", argv[0]);
		return 2;
	}
	const char *dir = argv[1];
	long opens = atol(argv[2]), connects = atol(argv[3]), execs = atol(argv[4]);
	char plain[512], watched[512];
	snprintf(plain, sizeof(plain), "%s/plain.txt", dir);
	snprintf(watched, sizeof(watched), "%s/weights.safetensors", dir);
	long watched_opens = 0;
	double t0 = now_us();

	for (long i = 0; i < opens; i++) {
		int w = (i % 10) == 0; /* one open in ten is a watched file */
		int fd = open(w ? watched : plain, O_RDONLY);
		if (fd >= 0) close(fd);
		watched_opens += w;
	}

	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
	socklen_t alen = sizeof(a);
	int one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1024) || getsockname(ls, (struct sockaddr *)&a, &alen)) {
		perror("listen");
		return 1;
	}
	for (long i = 0; i < connects; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof(a)) != 0) {
			perror("connect");
			return 1;
		}
		int s = accept(ls, NULL, NULL);
		/* reset instead of TIME_WAIT, so the loop never runs out of ports */
		struct linger lg = {1, 0};
		setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c);
		if (s >= 0) close(s);
	}
	close(ls);

	for (long i = 0; i < execs; i++) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(p, &st, 0);
	}

	double wall = now_us() - t0;
	struct rusage self, kids;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	double cpu = tv_us(self.ru_utime) + tv_us(self.ru_stime) + tv_us(kids.ru_utime) + tv_us(kids.ru_stime);
	printf("{\"cpuUs\":%.0f,\"wallUs\":%.0f,\"opens\":%ld,\"watchedOpens\":%ld,\"connects\":%ld,\"execs\":%ld}\n", cpu, wall, opens,
	       watched_opens, connects, execs);
	return 0;
}
