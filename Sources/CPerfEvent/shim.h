// Linux hardware counters (perf_event_open) for `warroom bench --instructions`: the struct and
// the syscall are not importable as they stand, so two small functions wrap them.
#include <linux/perf_event.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

// Opens a disabled counter of this thread in user space: `type` PERF_TYPE_HARDWARE with `config`
// PERF_COUNT_HW_INSTRUCTIONS or _CPU_CYCLES (or a software counter, for the tests); a file
// descriptor, or -1 with errno set.
static inline int warroom_perf_open(unsigned int type, unsigned long long config) {
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.type = type;
    a.size = sizeof a;
    a.config = config;
    a.disabled = 1;
    a.exclude_kernel = 1;
    a.exclude_hv = 1;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

// Zeroes and starts (on = 1) or stops (on = 0) a counter; 0, or -1 with errno set.
static inline int warroom_perf_switch(int fd, int on) {
    if (on && ioctl(fd, PERF_EVENT_IOC_RESET, 0) != 0) return -1;
    return ioctl(fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
}

static const unsigned int warroom_perf_hardware = PERF_TYPE_HARDWARE;
static const unsigned long long warroom_perf_instructions = PERF_COUNT_HW_INSTRUCTIONS;
static const unsigned long long warroom_perf_cycles = PERF_COUNT_HW_CPU_CYCLES;
static const unsigned int warroom_perf_software = PERF_TYPE_SOFTWARE;
static const unsigned long long warroom_perf_task_clock = PERF_COUNT_SW_TASK_CLOCK;
static const unsigned long long warroom_perf_page_faults = PERF_COUNT_SW_PAGE_FAULTS;
