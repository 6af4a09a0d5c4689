package taskvec.workflow;

/** Reads the "host:pid" worker names claimed_by holds, to tell a killed local process from a live or remote one. */
final class WorkItemRepositoryNames {
    private WorkItemRepositoryNames() {}

    static String host(String workerName) {
        int i = workerName.lastIndexOf(':');
        return i < 0 ? workerName : workerName.substring(0, i);
    }

    static boolean isDeadLocal(String claimedBy, String localHost) {
        int i = claimedBy.lastIndexOf(':');
        if (i < 0 || !claimedBy.substring(0, i).equals(localHost)) return false;
        try {
            long pid = Long.parseLong(claimedBy.substring(i + 1));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
