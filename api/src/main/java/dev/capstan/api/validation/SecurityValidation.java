package dev.capstan.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.model.json.JsonReads;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Pod and container security contexts (validatePodSpecSecurityContext, ValidateSecurityContext and their seccomp,
 * AppArmor, sysctl and Windows option rules). In the v1 API hostNetwork, hostPID and hostIPC sit on the pod spec;
 * upstream's internal type keeps them in the security context, which is why some paths here look odd: they are
 * upstream's. Privileged containers are allowed (kube-apiserver's --allow-privileged, set by every common installer).
 * SupplementalGroupsPolicy and SELinuxChangePolicy are alpha in 1.32 and dropped before validation.
 */
final class SecurityValidation {
    private SecurityValidation() {}

    private static final String SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?";
    private static final String SYSCTL_FMT = "^(" + SYSCTL_SEGMENT + "[\\./])*" + SYSCTL_SEGMENT + "$";
    private static final Pattern SYSCTL = Pattern.compile(SYSCTL_FMT);
    private static final int SYSCTL_MAX_LENGTH = 253;
    private static final Set<String> IPC_SYSCTLS = Set.of(
            "kernel.sem",
            "kernel.shmall",
            "kernel.shmmax",
            "kernel.shmmni",
            "kernel.shm_rmid_forced",
            "kernel.shm",
            "kernel.msgmax",
            "kernel.msgmnb",
            "kernel.msgmni",
            "kernel.msg");
    private static final List<String> SECCOMP_TYPES = List.of("Localhost", "RuntimeDefault", "Unconfined");
    private static final List<String> APPARMOR_TYPES = List.of("Localhost", "RuntimeDefault", "Unconfined");
    private static final List<String> FS_GROUP_POLICIES = List.of("Always", "OnRootMismatch");
    private static final List<String> PROC_MOUNTS = List.of("Default", "Unmasked");
    private static final int MAX_APPARMOR_PROFILE = 4095;
    private static final int GMSA_MAX_KIB = 64;
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");
    private static final Pattern NETBIOS = Pattern.compile("^[^\\\\/:*?\"<>|.][^\\\\/:*?\"<>|]{0,14}$");
    private static final String WINDOWS_LABEL = "[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?";
    private static final Pattern WINDOWS_DNS = Pattern.compile("^" + WINDOWS_LABEL + "(?:\\." + WINDOWS_LABEL + ")*$");
    private static final Pattern BAD_USER_CHARS = Pattern.compile("[\"/\\\\:;|=,+*?<>@\\[\\]]");
    private static final Pattern DOTS_SPACES = Pattern.compile("^[. ]+$");

    /** validatePodSpecSecurityContext. */
    static void pod(JsonNode spec, String specPath, PodOptions opts, Errors errs) {
        JsonNode sc = JsonReads.obj(spec, "securityContext");
        if (sc == null) {
            return;
        }
        String path = Errors.child(specPath, "securityContext");
        id(sc, "fsGroup", path, errs);
        id(sc, "runAsUser", path, errs);
        id(sc, "runAsGroup", path, errs);
        List<JsonNode> groups = JsonReads.items(sc, "supplementalGroups");
        for (int i = 0; i < groups.size(); i++) {
            long gid = groups.get(i).asLong();
            if (gid < 0 || gid > Integer.MAX_VALUE) {
                errs.invalid(
                        Errors.index(Errors.child(path, "supplementalGroups"), i),
                        gid,
                        NameRules.rangeError(0, Integer.MAX_VALUE));
            }
        }
        if (JsonReads.bool(spec, "shareProcessNamespace") && JsonReads.bool(spec, "hostPID")) {
            errs.invalid(
                    Errors.child(path, "shareProcessNamespace"),
                    true,
                    "ShareProcessNamespace and HostPID cannot both be enabled");
        }
        sysctls(spec, JsonReads.items(sc, "sysctls"), Errors.child(path, "sysctls"), opts, errs);
        if (JsonReads.has(sc, "fsGroupChangePolicy")
                && !FS_GROUP_POLICIES.contains(JsonReads.str(sc, "fsGroupChangePolicy"))) {
            errs.notSupported(
                    Errors.child(path, "fsGroupChangePolicy"),
                    JsonReads.str(sc, "fsGroupChangePolicy"),
                    FS_GROUP_POLICIES);
        }
        seccomp(JsonReads.obj(sc, "seccompProfile"), Errors.child(path, "seccompProfile"), errs);
        windowsOptions(JsonReads.obj(sc, "windowsOptions"), Errors.child(path, "windowsOptions"), errs);
        appArmor(JsonReads.obj(sc, "appArmorProfile"), Errors.child(path, "appArmorProfile"), errs);
    }

    /** ValidateSecurityContext of one container. */
    static void container(JsonNode ctr, boolean hostUsers, String path, Errors errs) {
        JsonNode sc = JsonReads.obj(ctr, "securityContext");
        if (sc == null) {
            return;
        }
        String sp = Errors.child(path, "securityContext");
        id(sc, "runAsUser", sp, errs);
        id(sc, "runAsGroup", sp, errs);
        if (JsonReads.has(sc, "procMount")) {
            String procMount = JsonReads.str(sc, "procMount");
            if (!PROC_MOUNTS.contains(procMount)) {
                errs.notSupported(Errors.child(sp, "procMount"), procMount, PROC_MOUNTS);
            }
            if (hostUsers && procMount.equals("Unmasked")) {
                errs.invalid(Errors.child(sp, "procMount"), procMount, "`hostUsers` must be false to use `Unmasked`");
            }
        }
        seccomp(JsonReads.obj(sc, "seccompProfile"), Errors.child(sp, "seccompProfile"), errs);
        if (JsonReads.has(sc, "allowPrivilegeEscalation") && !JsonReads.bool(sc, "allowPrivilegeEscalation")) {
            if (JsonReads.bool(sc, "privileged")) {
                errs.invalid(
                        sp,
                        securityContextLiteral(sc),
                        "cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
            }
            for (String cap : JsonReads.strings(sc, "capabilities", "add")) {
                if (cap.equals("CAP_SYS_ADMIN")) {
                    errs.invalid(
                            sp,
                            securityContextLiteral(sc),
                            "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
                }
            }
        }
        windowsOptions(JsonReads.obj(sc, "windowsOptions"), Errors.child(sp, "windowsOptions"), errs);
        appArmor(JsonReads.obj(sc, "appArmorProfile"), Errors.child(sp, "appArmorProfile"), errs);
    }

    /** Upstream prints the dereferenced core.SecurityContext with %#v; pointers show as placeholder addresses. */
    private static GoFormat.Literal securityContextLiteral(JsonNode sc) {
        StringBuilder b = new StringBuilder("core.SecurityContext{");
        String[][] fields = {
            {"capabilities", "Capabilities", "*core.Capabilities"},
            {"privileged", "Privileged", "*bool"},
            {"seLinuxOptions", "SELinuxOptions", "*core.SELinuxOptions"},
            {"windowsOptions", "WindowsOptions", "*core.WindowsSecurityContextOptions"},
            {"runAsUser", "RunAsUser", "*int64"},
            {"runAsGroup", "RunAsGroup", "*int64"},
            {"runAsNonRoot", "RunAsNonRoot", "*bool"},
            {"readOnlyRootFilesystem", "ReadOnlyRootFilesystem", "*bool"},
            {"allowPrivilegeEscalation", "AllowPrivilegeEscalation", "*bool"},
            {"procMount", "ProcMount", "*core.ProcMountType"},
            {"seccompProfile", "SeccompProfile", "*core.SeccompProfile"},
            {"appArmorProfile", "AppArmorProfile", "*core.AppArmorProfile"}
        };
        for (int i = 0; i < fields.length; i++) {
            b.append(i == 0 ? "" : ", ")
                    .append(fields[i][1])
                    .append(":(")
                    .append(fields[i][2])
                    .append(")(")
                    .append(JsonReads.has(sc, fields[i][0]) ? "0xc000000000" : "nil")
                    .append(')');
        }
        return new GoFormat.Literal(b.append('}').toString());
    }

    /** IsValidUserID / IsValidGroupID: 0 to MaxInt32. */
    private static void id(JsonNode sc, String field, String path, Errors errs) {
        Long id = JsonReads.num(sc, field);
        if (id != null && (id < 0 || id > Integer.MAX_VALUE)) {
            errs.invalid(Errors.child(path, field), id, NameRules.rangeError(0, Integer.MAX_VALUE));
        }
    }

    private static void sysctls(JsonNode spec, List<JsonNode> sysctls, String path, PodOptions opts, Errors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sysctls.size(); i++) {
            String name = JsonReads.str(sysctls.get(i), "name");
            String np = Errors.child(Errors.index(path, i), "name");
            if (name.isEmpty()) {
                errs.required(np, "");
            } else if (NameRules.len(name) > SYSCTL_MAX_LENGTH
                    || !SYSCTL.matcher(name).matches()) {
                errs.invalid(
                        np,
                        name,
                        "must have at most " + SYSCTL_MAX_LENGTH + " characters and match regex " + SYSCTL_FMT);
            } else if (names.contains(name)) {
                errs.duplicate(np, name);
            }
            if (!opts.allowNamespacedSysctls()) {
                String hostError = hostSysctl(spec, name);
                if (hostError != null) {
                    errs.invalid(np, name, hostError);
                }
            }
            names.add(name);
        }
    }

    /** ValidateHostSysctl: a namespaced sysctl cannot go with sharing that namespace with the host. */
    private static String hostSysctl(JsonNode spec, String sysctl) {
        String ns = sysctlNamespace(sysctl);
        if (JsonReads.bool(spec, "hostNetwork") && ns.equals("Net")) {
            return "may not be specified when 'hostNetwork' is true";
        }
        if (JsonReads.bool(spec, "hostIPC") && ns.equals("IPC")) {
            return "may not be specified when 'hostIPC' is true";
        }
        return null;
    }

    /** Whether the spec already held a sysctl that {@link #hostSysctl} refuses. */
    static boolean hasHostSysctl(JsonNode spec) {
        for (JsonNode s : JsonReads.items(spec, "securityContext", "sysctls")) {
            if (hostSysctl(spec, JsonReads.str(s, "name")) != null) {
                return true;
            }
        }
        return false;
    }

    /** component-helpers' GetNamespace: Net, IPC or "" after normalising slash-separated names. */
    private static String sysctlNamespace(String sysctl) {
        String name = sysctl;
        int sep = indexOfAny(name, "./");
        if (sep >= 0 && name.charAt(sep) == '/') {
            StringBuilder b = new StringBuilder(name.length());
            for (char c : name.toCharArray()) {
                b.append(c == '.' ? '/' : c == '/' ? '.' : c);
            }
            name = b.toString();
        }
        int star = name.indexOf('*');
        if (star >= 0) {
            name = name.substring(0, star);
        }
        if (IPC_SYSCTLS.contains(name)) {
            return "IPC";
        }
        if (name.startsWith("net.")) {
            return "Net";
        }
        return name.startsWith("fs.mqueue.") ? "IPC" : "";
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** validateSeccompProfileField. */
    static void seccomp(JsonNode profile, String path, Errors errs) {
        if (profile == null) {
            return;
        }
        String type = JsonReads.str(profile, "type");
        String tp = Errors.child(path, "type");
        if (type.isEmpty()) {
            errs.required(tp, "type is required when seccompProfile is set");
        } else if (!SECCOMP_TYPES.contains(type)) {
            errs.notSupported(tp, type, SECCOMP_TYPES);
        }
        String lp = Errors.child(path, "localhostProfile");
        if (type.equals("Localhost")) {
            if (!JsonReads.has(profile, "localhostProfile")) {
                errs.required(lp, "must be set when seccomp type is Localhost");
            } else {
                PodVolumes.localDescendingPath(JsonReads.str(profile, "localhostProfile"), lp, errs);
            }
        } else if (JsonReads.has(profile, "localhostProfile")) {
            errs.invalid(
                    lp,
                    new GoFormat.Literal("core.SeccompProfile{Type:" + GoFormat.quote(type)
                            + ", LocalhostProfile:(*string)(0xc000000000)}"),
                    "can only be set when seccomp type is Localhost");
        }
    }

    /** ValidateAppArmorProfileField. */
    static void appArmor(JsonNode profile, String path, Errors errs) {
        if (profile == null) {
            return;
        }
        String type = JsonReads.str(profile, "type");
        String lp = Errors.child(path, "localhostProfile");
        switch (type) {
            case "Localhost" -> {
                if (!JsonReads.has(profile, "localhostProfile")) {
                    errs.required(lp, "must be set when AppArmor type is Localhost");
                } else {
                    String p = JsonReads.str(profile, "localhostProfile");
                    if (!p.strip().equals(p)) {
                        errs.invalid(lp, p, "must not be padded with whitespace");
                    } else if (p.isEmpty()) {
                        errs.required(lp, "must be set when AppArmor type is Localhost");
                    }
                    if (NameRules.len(p) > MAX_APPARMOR_PROFILE) {
                        errs.tooLong(lp, MAX_APPARMOR_PROFILE);
                    }
                }
            }
            case "RuntimeDefault", "Unconfined" -> {
                if (JsonReads.has(profile, "localhostProfile")) {
                    errs.invalid(
                            lp,
                            JsonReads.str(profile, "localhostProfile"),
                            "can only be set when AppArmor type is Localhost");
                }
            }
            case "" -> errs.required(Errors.child(path, "type"), "type is required when appArmorProfile is set");
            default -> errs.notSupported(Errors.child(path, "type"), type, APPARMOR_TYPES);
        }
    }

    /** validateWindowsSecurityContextOptions. */
    private static void windowsOptions(JsonNode options, String path, Errors errs) {
        if (options == null) {
            return;
        }
        if (JsonReads.has(options, "gmsaCredentialSpecName")) {
            String name = JsonReads.str(options, "gmsaCredentialSpecName");
            errs.invalidEach(Errors.child(path, "gmsaCredentialSpecName"), name, NameRules.dns1123Subdomain(name));
        }
        if (JsonReads.has(options, "gmsaCredentialSpec")) {
            String spec = JsonReads.str(options, "gmsaCredentialSpec");
            String sp = Errors.child(path, "gmsaCredentialSpec");
            if (spec.isEmpty()) {
                errs.invalid(sp, spec, "gmsaCredentialSpec cannot be an empty string");
            } else if (NameRules.len(spec) > GMSA_MAX_KIB * 1024) {
                errs.invalid(sp, spec, "gmsaCredentialSpec size must be under " + GMSA_MAX_KIB + " KiB");
            }
        }
        if (JsonReads.has(options, "runAsUserName")) {
            runAsUserName(JsonReads.str(options, "runAsUserName"), Errors.child(path, "runAsUserName"), errs);
        }
    }

    private static void runAsUserName(String name, String path, Errors errs) {
        if (name.isEmpty()) {
            errs.invalid(path, name, "runAsUserName cannot be an empty string");
            return;
        }
        if (CONTROL.matcher(name).find()) {
            errs.invalid(path, name, "runAsUserName cannot contain control characters");
            return;
        }
        String[] parts = name.split("\\\\", -1);
        if (parts.length > 2) {
            errs.invalid(path, name, "runAsUserName cannot contain more than one backslash");
            return;
        }
        boolean hasDomain = parts.length == 2;
        String domain = hasDomain ? parts[0] : "";
        String user = hasDomain ? parts[1] : parts[0];
        if (NameRules.len(domain) >= 256) {
            errs.invalid(path, name, "runAsUserName's Domain length must be under 256 characters");
        }
        if (hasDomain
                && !NETBIOS.matcher(domain).matches()
                && !WINDOWS_DNS.matcher(domain).matches()) {
            errs.invalid(path, name, "runAsUserName's Domain doesn't match the NetBios nor the DNS format");
        }
        if (user.isEmpty()) {
            errs.invalid(path, name, "runAsUserName's User cannot be empty");
        } else if (NameRules.len(user) > 104) {
            errs.invalid(path, name, "runAsUserName's User length must not be longer than 104 characters");
        }
        if (DOTS_SPACES.matcher(user).matches()) {
            errs.invalid(path, name, "runAsUserName's User cannot contain only periods or spaces");
        }
        if (BAD_USER_CHARS.matcher(user).find()) {
            errs.invalid(
                    path, name, "runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]");
        }
    }

    /** validateWindowsHostProcessPod: every container or none is a host process, and those need hostNetwork. */
    static void windowsHostProcess(JsonNode spec, String path, Errors errs) {
        JsonNode podValue = JsonReads.at(spec, "securityContext", "windowsOptions", "hostProcess");
        Boolean pod = podValue.isBoolean() ? podValue.booleanValue() : null;
        int containers = 0;
        int hostProcess = 0;
        for (Map.Entry<String, JsonNode> e : PodValidation.containersWithPaths(spec, path)) {
            containers++;
            JsonNode v = JsonReads.at(e.getValue(), "securityContext", "windowsOptions", "hostProcess");
            Boolean ctr = v.isBoolean() ? v.booleanValue() : null;
            if (pod != null && ctr != null && !pod.equals(ctr)) {
                errs.invalid(
                        Errors.child(e.getKey(), "securityContext.windowsOptions.hostProcess"),
                        ctr,
                        "pod hostProcess value must be identical if both are specified, was " + pod);
            }
            if (Boolean.TRUE.equals(ctr) || (ctr == null && Boolean.TRUE.equals(pod))) {
                hostProcess++;
            }
        }
        if (hostProcess > 0) {
            if (hostProcess != containers) {
                errs.invalid(
                        path,
                        "",
                        "If pod contains any hostProcess containers then all containers must be HostProcess containers");
            }
            if (!JsonReads.bool(spec, "hostNetwork")) {
                errs.invalid(
                        Errors.child(path, "hostNetwork"),
                        false,
                        "hostNetwork must be true if pod contains any hostProcess containers");
            }
        }
    }

    /** validateHostUsers: a user namespace cannot go with the host's network, PID or IPC namespace. */
    static void hostUsers(JsonNode spec, String path, Errors errs) {
        if (!JsonReads.has(spec, "hostUsers") || JsonReads.bool(spec, "hostUsers")) {
            return;
        }
        String detail = "when `pod.Spec.HostUsers` is false";
        if (JsonReads.bool(spec, "hostNetwork")) {
            errs.forbidden(Errors.child(path, "hostNetwork"), detail);
        }
        if (JsonReads.bool(spec, "hostPID")) {
            errs.forbidden(Errors.child(path, "HostPID"), detail);
        }
        if (JsonReads.bool(spec, "hostIPC")) {
            errs.forbidden(Errors.child(path, "HostIPC"), detail);
        }
    }

    /** validateOS and, for a valid OS, validateLinux or validateWindows. */
    static void os(JsonNode spec, String path, Errors errs) {
        JsonNode os = JsonReads.obj(spec, "os");
        if (os == null) {
            return;
        }
        String name = JsonReads.str(os, "name");
        String op = Errors.child(path, "os");
        if (name.isEmpty()) {
            errs.required(Errors.child(op, "name"), "cannot be empty");
        } else if (!name.equals("linux") && !name.equals("windows")) {
            errs.notSupported(op, name, List.of("linux", "windows"));
        } else if (name.equals("linux")) {
            linux(spec, path, errs);
        } else {
            windows(spec, path, errs);
        }
    }

    private static void linux(JsonNode spec, String path, Errors errs) {
        String msg = "windows options cannot be set for a linux pod";
        if (JsonReads.has(spec, "securityContext", "windowsOptions")) {
            errs.forbidden(Errors.child(path, "securityContext.windowsOptions"), msg);
        }
        for (Map.Entry<String, JsonNode> e : PodValidation.containersWithPaths(spec, path)) {
            if (JsonReads.has(e.getValue(), "securityContext", "windowsOptions")) {
                errs.forbidden(Errors.child(e.getKey(), "securityContext.windowsOptions"), msg);
            }
        }
    }

    private static void windows(JsonNode spec, String path, Errors errs) {
        String msg = "cannot be set for a windows pod";
        JsonNode sc = JsonReads.obj(spec, "securityContext");
        if (sc != null) {
            String sp = Errors.child(path, "securityContext");
            forbidIfSet(sc, "appArmorProfile", sp, msg, errs);
            forbidIfSet(sc, "seLinuxOptions", sp, msg, errs);
            forbidIfSet(spec, "hostUsers", path, msg, errs);
            if (JsonReads.bool(spec, "hostPID")) {
                errs.forbidden(Errors.child(path, "hostPID"), msg);
            }
            if (JsonReads.bool(spec, "hostIPC")) {
                errs.forbidden(Errors.child(path, "hostIPC"), msg);
            }
            forbidIfSet(sc, "seccompProfile", sp, msg, errs);
            forbidIfSet(sc, "fsGroup", sp, msg, errs);
            forbidIfSet(sc, "fsGroupChangePolicy", sp, msg, errs);
            if (!JsonReads.items(sc, "sysctls").isEmpty()) {
                errs.forbidden(Errors.child(sp, "sysctls"), msg);
            }
            forbidIfSet(spec, "shareProcessNamespace", path, msg, errs);
            forbidIfSet(sc, "runAsUser", sp, msg, errs);
            forbidIfSet(sc, "runAsGroup", sp, msg, errs);
            forbidIfSet(sc, "supplementalGroups", sp, msg, errs);
        }
        for (Map.Entry<String, JsonNode> e : PodValidation.containersWithPaths(spec, path)) {
            JsonNode csc = JsonReads.obj(e.getValue(), "securityContext");
            if (csc == null) {
                continue;
            }
            String cp = Errors.child(e.getKey(), "securityContext");
            for (String f : List.of(
                    "appArmorProfile",
                    "seLinuxOptions",
                    "seccompProfile",
                    "capabilities",
                    "readOnlyRootFilesystem",
                    "privileged",
                    "allowPrivilegeEscalation",
                    "procMount",
                    "runAsUser",
                    "runAsGroup")) {
                forbidIfSet(csc, f, cp, msg, errs);
            }
        }
    }

    private static void forbidIfSet(JsonNode node, String field, String path, String msg, Errors errs) {
        if (JsonReads.has(node, field)) {
            errs.forbidden(Errors.child(path, field), msg);
        }
    }
}
