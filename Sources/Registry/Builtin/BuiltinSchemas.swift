extension BuiltinResources {
    /// The schemas of the built-in kinds and every type they contain, in
    /// `SchemaText`. Names, types, list and patch semantics are those
    /// kube-apiserver 1.36 publishes; the numbers are k8s.io/api's protobuf
    /// field numbers (generated.proto). Fields that embed another message
    /// inline in protobuf (a Volume's VolumeSource) are marked `inline`.
    /// Add new fields here by hand, with their protobuf numbers.
    static let schemaText = """
    core.v1.Namespace gvk=/v1/Namespace -- A Namespace scopes the names of the objects in it. Deleting one deletes everything in it.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 NamespaceSpec -- The desired state.
      status 3 NamespaceStatus -- The observed state, written through the status subresource.
    meta.v1.ObjectMeta -- Metadata every persisted object has: names, labels, annotations and fields the server manages.
      annotations 12 {string} -- Key/value pairs for tools and people; not used for selection.
      creationTimestamp 8 time -- When the object was created, in UTC. Read-only.
      deletionGracePeriodSeconds 10 int64? -- Seconds the object has to terminate gracefully after deletion was requested. Read-only.
      deletionTimestamp 9 time? -- When deletion was requested; the object stays until its finalizers are removed. Read-only.
      finalizers 14 [string] strategy=merge list=set -- Keys that must all be removed before a deleted object is finally removed from storage.
      generateName 2 string -- A prefix from which the server makes a unique name when name is empty.
      generation 7 int64 -- A number the server increments when the desired state (spec) changes. Read-only.
      labels 11 {string} -- Key/value pairs that selectors match, to organise and select objects.
      managedFields 17 [ManagedFieldsEntry] list=atomic -- Which actor manages which fields (server-side apply).
      name 1 string -- The name, unique within the namespace (or the cluster, for cluster-scoped kinds). Cannot be changed.
      namespace 3 string -- The namespace the object lives in. Empty for cluster-scoped kinds.
      ownerReferences 13 [OwnerReference] merge=uid strategy=merge list=map:uid -- The objects this one depends on; it is garbage collected after they are gone.
      resourceVersion 6 string -- An opaque version that changes with every write; used for optimistic concurrency and watches. Read-only.
      selfLink 4 string -- Deprecated and never set.
      uid 5 string -- A unique identifier the server assigns at creation. Read-only.
    meta.v1.ManagedFieldsEntry
      apiVersion 3 string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      fieldsType 6 string
      fieldsV1 7 object?
      manager 1 string
      operation 2 string
      subresource 8 string
      time 4 time?
    meta.v1.OwnerReference atomic -- Names an object that owns this one; the owned object is garbage collected after its owner.
      apiVersion 5 string required -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      blockOwnerDeletion 7 bool?
      controller 6 bool?
      kind 1 string required -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      name 3 string required
      uid 4 string required
    core.v1.NamespaceSpec -- What a namespace should be.
      finalizers 1 [string] list=atomic -- What must finish before the namespace is removed; kubernetes empties it.
    core.v1.NamespaceStatus -- What a namespace is: Active, or Terminating while its contents are deleted.
      conditions 2 [NamespaceCondition] merge=type strategy=merge list=map:type -- The latest observations of the namespace's state.
      phase 1 string enum=Active,Terminating -- Active, or Terminating once deletion has been requested.
    core.v1.NamespaceCondition
      lastTransitionTime 4 time
      message 6 string
      reason 5 string
      status 2 string required -- The observed state, written through the status subresource.
      type 1 string required
    core.v1.NamespaceList gvk=/v1/NamespaceList -- A list of Namespaces.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Namespace] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    meta.v1.ListMeta -- Metadata of a list: its resourceVersion and continue token.
      continue 3 string -- A token that fetches the next page; empty on the last page.
      remainingItemCount 4 int64? -- How many objects are left after this page, when the server knows.
      resourceVersion 2 string -- The version of the store the list was read at; watch from it to see what comes after.
      selfLink 1 string
      shardInfo 5 ShardInfo?
    meta.v1.ShardInfo
      selector 1 string required
    core.v1.ConfigMap gvk=/v1/ConfigMap -- A ConfigMap holds configuration data for pods to consume, as strings or bytes.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      binaryData 3 {bytes} -- Configuration data as bytes (base64 in JSON), by key; keys must not repeat those of data.
      data 2 {string} -- Configuration data as UTF-8 strings, by key.
      immutable 4 bool? -- When true, data and binaryData can no longer change; the object can only be deleted.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.ConfigMapList gvk=/v1/ConfigMapList -- A list of ConfigMaps.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [ConfigMap] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.Secret gvk=/v1/Secret -- A Secret holds sensitive data such as passwords, tokens or keys, base64-encoded.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      data 2 {bytes} -- The secret data, base64-encoded, by key.
      immutable 5 bool? -- When true, data can no longer change; the object can only be deleted.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      stringData 4 {string} -- Write-only convenience: plain strings merged into data (encoded) when written; never read back.
      type 3 string -- The kind of secret, e.g. Opaque, kubernetes.io/tls or kubernetes.io/dockerconfigjson; it fixes which keys data must hold.
    core.v1.SecretList gvk=/v1/SecretList -- A list of Secrets.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Secret] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.Event gvk=/v1/Event -- An Event reports something that happened to an object. Events expire after the server's --event-ttl.
      action 12 string
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      count 8 int32? -- How many times this event has occurred.
      eventTime 10 microtime
      firstTimestamp 6 time -- When the event was first recorded.
      involvedObject 2 ObjectReference required -- The object the event is about.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      lastTimestamp 7 time -- When the event was last recorded.
      message 4 string -- A human-readable description of what happened.
      metadata 1 ObjectMeta required -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      reason 3 string -- A short, machine-readable reason for the event, in UpperCamelCase.
      related 13 ObjectReference?
      reportingComponent 14 string
      reportingInstance 15 string
      series 11 EventSeries?
      source 5 EventSource -- The component that reported the event.
      type 9 string -- Normal or Warning.
    core.v1.ObjectReference atomic
      apiVersion 5 string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      fieldPath 7 string
      kind 1 string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      name 3 string
      namespace 2 string
      resourceVersion 6 string
      uid 4 string
    core.v1.EventSeries
      count 1 int32
      lastObservedTime 2 microtime
    core.v1.EventSource
      component 1 string
      host 2 string
    core.v1.EventList gvk=/v1/EventList -- A list of Events.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Event] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.ServiceAccount gvk=/v1/ServiceAccount -- A ServiceAccount is an identity for processes that run in pods.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      automountServiceAccountToken 4 bool? -- Whether pods running as this account get an API token mounted.
      imagePullSecrets 3 [LocalObjectReference] list=atomic -- Secrets used to pull images for pods that run as this account.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      secrets 2 [ObjectReference] merge=name strategy=merge list=map:name -- Secrets pods running as this account may use.
    core.v1.LocalObjectReference atomic
      name 1 string
    core.v1.ServiceAccountList gvk=/v1/ServiceAccountList -- A list of ServiceAccounts.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [ServiceAccount] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.Service gvk=/v1/Service -- A Service names a set of pods (by label selector) and the ports they are reached on.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 ServiceSpec -- The desired state.
      status 3 ServiceStatus -- The observed state, written through the status subresource.
    core.v1.ServiceSpec -- What a Service should be: its selector, ports and type.
      allocateLoadBalancerNodePorts 20 bool?
      clusterIP 3 string -- The virtual IP of the Service; "None" makes a headless Service.
      clusterIPs 18 [string] list=atomic
      externalIPs 5 [string] list=atomic
      externalName 10 string
      externalTrafficPolicy 11 string enum=Cluster,Local
      healthCheckNodePort 12 int32
      internalTrafficPolicy 22 string? enum=Cluster,Local
      ipFamilies 19 [string] list=atomic
      ipFamilyPolicy 17 string? enum=PreferDualStack,RequireDualStack,SingleStack
      loadBalancerClass 21 string?
      loadBalancerIP 8 string
      loadBalancerSourceRanges 9 [string] list=atomic
      ports 1 [ServicePort] merge=port strategy=merge list=map:port,protocol -- The ports the Service exposes.
      publishNotReadyAddresses 13 bool
      selector 2 {string} maptype=atomic -- Pods with these labels back the Service.
      sessionAffinity 7 string enum=ClientIP,None
      sessionAffinityConfig 14 SessionAffinityConfig?
      trafficDistribution 23 string?
      type 4 string enum=ClusterIP,ExternalName,LoadBalancer,NodePort -- How the Service is exposed: ClusterIP (the default), NodePort, LoadBalancer or ExternalName.
    core.v1.ServicePort
      appProtocol 6 string?
      name 1 string
      nodePort 5 int32
      port 3 int32? required
      protocol 2 string enum=SCTP,TCP,UDP
      targetPort 4 intorstring
    core.v1.SessionAffinityConfig
      clientIP 1 ClientIPConfig?
    core.v1.ClientIPConfig
      timeoutSeconds 1 int32?
    core.v1.ServiceStatus
      conditions 2 [Condition] merge=type strategy=merge list=map:type
      loadBalancer 1 LoadBalancerStatus
    meta.v1.Condition
      lastTransitionTime 4 time required
      message 6 string required
      observedGeneration 3 int64
      reason 5 string required
      status 2 string required -- The observed state, written through the status subresource.
      type 1 string required
    core.v1.LoadBalancerStatus
      ingress 1 [LoadBalancerIngress] list=atomic
    core.v1.LoadBalancerIngress
      hostname 2 string
      ip 1 string
      ipMode 3 string?
      ports 4 [PortStatus] list=atomic
    core.v1.PortStatus
      error 3 string?
      port 1 int32 required
      protocol 2 string required enum=SCTP,TCP,UDP
    core.v1.ServiceList gvk=/v1/ServiceList -- A list of Services.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Service] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.Endpoints gvk=/v1/Endpoints -- Endpoints list the addresses and ports that implement a Service.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      subsets 2 [EndpointSubset] list=atomic -- The sets of addresses and ports that implement the Service.
    core.v1.EndpointSubset
      addresses 1 [EndpointAddress] list=atomic
      notReadyAddresses 2 [EndpointAddress] list=atomic
      ports 3 [EndpointPort] list=atomic
    core.v1.EndpointAddress atomic
      hostname 3 string
      ip 1 string required
      nodeName 4 string?
      targetRef 2 ObjectReference?
    core.v1.EndpointPort atomic
      appProtocol 4 string?
      name 1 string
      port 2 int32? required
      protocol 3 string enum=SCTP,TCP,UDP
    core.v1.EndpointsList gvk=/v1/EndpointsList -- A list of Endpoints.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Endpoints] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    core.v1.Pod gvk=/v1/Pod -- A Pod is a group of containers that run together on one node. Berth stores pods; nothing schedules them.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 PodSpec -- What the pod should run.
      status 3 PodStatus -- What the pod is, as last reported. Written through the status subresource.
    core.v1.PodSpec -- What a pod should run: its containers, volumes and scheduling constraints.
      activeDeadlineSeconds 5 int64?
      affinity 18 Affinity?
      automountServiceAccountToken 21 bool?
      containers 2 [Container] required merge=name strategy=merge list=map:name -- The containers of the pod; at least one.
      dnsConfig 26 PodDNSConfig?
      dnsPolicy 6 string enum=ClusterFirst,ClusterFirstWithHostNet,Default,None -- How the pod's DNS is set up: ClusterFirst (the default), Default, ClusterFirstWithHostNet or None.
      enableServiceLinks 30 bool?
      ephemeralContainers 34 [EphemeralContainer] merge=name strategy=merge list=map:name
      hostAliases 23 [HostAlias] merge=ip strategy=merge list=map:ip
      hostIPC 13 bool
      hostNetwork 11 bool
      hostPID 12 bool
      hostUsers 37 bool?
      hostname 16 string
      hostnameOverride 41 string?
      imagePullSecrets 15 [LocalObjectReference] merge=name strategy=merge list=map:name
      initContainers 20 [Container] merge=name strategy=merge list=map:name -- Containers run to completion, in order, before the others start.
      nodeName 10 string -- The node the pod is bound to.
      nodeSelector 7 {string} maptype=atomic -- Labels a node must have for the pod to run on it.
      os 36 PodOS?
      overhead 32 {quantity}
      preemptionPolicy 31 string? enum=Never,PreemptLowerPriority
      priority 25 int32?
      priorityClassName 24 string
      readinessGates 28 [PodReadinessGate] list=atomic
      resourceClaims 39 [PodResourceClaim] merge=name strategy=merge,retainKeys list=map:name
      resources 40 ResourceRequirements?
      restartPolicy 3 string enum=Always,Never,OnFailure -- When containers restart: Always (the default), OnFailure or Never.
      runtimeClassName 29 string?
      schedulerName 19 string
      schedulingGates 38 [PodSchedulingGate] merge=name strategy=merge list=map:name
      schedulingGroup - PodSchedulingGroup
      securityContext 14 PodSecurityContext?
      serviceAccount 9 string
      serviceAccountName 8 string -- The ServiceAccount the pod runs as.
      setHostnameAsFQDN 35 bool?
      shareProcessNamespace 27 bool?
      subdomain 17 string
      terminationGracePeriodSeconds 4 int64? -- Seconds the pod has to stop gracefully when deleted.
      tolerations 22 [Toleration] list=atomic
      topologySpreadConstraints 33 [TopologySpreadConstraint] merge=topologyKey strategy=merge list=map:topologyKey,whenUnsatisfiable
      volumes 1 [Volume] merge=name strategy=merge,retainKeys list=map:name -- Volumes the containers may mount.
    core.v1.Affinity
      nodeAffinity 1 NodeAffinity?
      podAffinity 2 PodAffinity?
      podAntiAffinity 3 PodAntiAffinity?
    core.v1.NodeAffinity
      preferredDuringSchedulingIgnoredDuringExecution 2 [PreferredSchedulingTerm] list=atomic
      requiredDuringSchedulingIgnoredDuringExecution 1 NodeSelector?
    core.v1.PreferredSchedulingTerm
      preference 2 NodeSelectorTerm required
      weight 1 int32 required
    core.v1.NodeSelectorTerm atomic
      matchExpressions 1 [NodeSelectorRequirement] list=atomic
      matchFields 2 [NodeSelectorRequirement] list=atomic
    core.v1.NodeSelectorRequirement
      key 1 string required
      operator 2 string required enum=DoesNotExist,Exists,Gt,In,Lt,NotIn
      values 3 [string] list=atomic
    core.v1.NodeSelector atomic
      nodeSelectorTerms 1 [NodeSelectorTerm] required list=atomic
    core.v1.PodAffinity
      preferredDuringSchedulingIgnoredDuringExecution 2 [WeightedPodAffinityTerm] list=atomic
      requiredDuringSchedulingIgnoredDuringExecution 1 [PodAffinityTerm] list=atomic
    core.v1.WeightedPodAffinityTerm
      podAffinityTerm 2 PodAffinityTerm required
      weight 1 int32 required
    core.v1.PodAffinityTerm
      labelSelector 1 LabelSelector?
      matchLabelKeys 5 [string] list=atomic
      mismatchLabelKeys 6 [string] list=atomic
      namespaceSelector 4 LabelSelector?
      namespaces 2 [string] list=atomic
      topologyKey 3 string required
    meta.v1.LabelSelector atomic
      matchExpressions 2 [LabelSelectorRequirement] list=atomic
      matchLabels 1 {string}
    meta.v1.LabelSelectorRequirement
      key 1 string required
      operator 2 string required
      values 3 [string] list=atomic
    core.v1.PodAntiAffinity
      preferredDuringSchedulingIgnoredDuringExecution 2 [WeightedPodAffinityTerm] list=atomic
      requiredDuringSchedulingIgnoredDuringExecution 1 [PodAffinityTerm] list=atomic
    core.v1.Container -- A single application container that runs in a pod.
      args 4 [string] list=atomic -- Arguments to the entrypoint, replacing the image's.
      command 3 [string] list=atomic -- The entrypoint, replacing the image's; not run in a shell.
      env 7 [EnvVar] merge=name strategy=merge list=map:name -- Environment variables to set in the container.
      envFrom 19 [EnvFromSource] list=atomic
      image 2 string -- The container image to run.
      imagePullPolicy 14 string enum=Always,IfNotPresent,Never -- When the image is pulled: Always, IfNotPresent or Never.
      lifecycle 12 Lifecycle?
      livenessProbe 10 Probe?
      name 1 string required -- The container's name, unique within the pod (DNS label).
      ports 6 [ContainerPort] merge=containerPort strategy=merge list=map:containerPort,protocol -- Ports the container exposes; informational.
      readinessProbe 11 Probe?
      resizePolicy 23 [ContainerResizePolicy] list=atomic
      resources 8 ResourceRequirements -- The compute resources the container requests and is limited to.
      restartPolicy 24 string?
      restartPolicyRules 25 [ContainerRestartRule] list=atomic
      securityContext 15 SecurityContext?
      startupProbe 22 Probe?
      stdin 16 bool
      stdinOnce 17 bool
      terminationMessagePath 13 string
      terminationMessagePolicy 20 string enum=FallbackToLogsOnError,File
      tty 18 bool
      volumeDevices 21 [VolumeDevice] merge=devicePath strategy=merge list=map:devicePath
      volumeMounts 9 [VolumeMount] merge=mountPath strategy=merge list=map:mountPath
      workingDir 5 string
    core.v1.EnvVar
      name 1 string required
      value 2 string
      valueFrom 3 EnvVarSource?
    core.v1.EnvVarSource
      configMapKeyRef 3 ConfigMapKeySelector?
      fieldRef 1 ObjectFieldSelector?
      fileKeyRef 5 FileKeySelector?
      resourceFieldRef 2 ResourceFieldSelector?
      secretKeyRef 4 SecretKeySelector?
    core.v1.ConfigMapKeySelector atomic
      key 2 string required
      name - string
      optional 3 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.ObjectFieldSelector atomic
      apiVersion 1 string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      fieldPath 2 string required
    core.v1.FileKeySelector atomic
      key 3 string required
      optional 4 bool?
      path 2 string required
      volumeName 1 string required
    core.v1.ResourceFieldSelector atomic
      containerName 1 string
      divisor 3 quantity
      resource 2 string required
    core.v1.SecretKeySelector atomic
      key 2 string required
      name - string
      optional 3 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.EnvFromSource
      configMapRef 2 ConfigMapEnvSource?
      prefix 1 string
      secretRef 3 SecretEnvSource?
    core.v1.ConfigMapEnvSource
      name - string
      optional 2 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.SecretEnvSource
      name - string
      optional 2 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.Lifecycle
      postStart 1 LifecycleHandler?
      preStop 2 LifecycleHandler?
      stopSignal 3 string? enum=SIGABRT,SIGALRM,SIGBUS,SIGCHLD,SIGCLD,SIGCONT,SIGFPE,SIGHUP,SIGILL,SIGINT,SIGIO,SIGIOT,SIGKILL,SIGPIPE,SIGPOLL,SIGPROF,SIGPWR,SIGQUIT,SIGRTMAX,SIGRTMAX-1,SIGRTMAX-10,SIGRTMAX-11,SIGRTMAX-12,SIGRTMAX-13,SIGRTMAX-14,SIGRTMAX-2,SIGRTMAX-3,SIGRTMAX-4,SIGRTMAX-5,SIGRTMAX-6,SIGRTMAX-7,SIGRTMAX-8,SIGRTMAX-9,SIGRTMIN,SIGRTMIN+1,SIGRTMIN+10,SIGRTMIN+11,SIGRTMIN+12,SIGRTMIN+13,SIGRTMIN+14,SIGRTMIN+15,SIGRTMIN+2,SIGRTMIN+3,SIGRTMIN+4,SIGRTMIN+5,SIGRTMIN+6,SIGRTMIN+7,SIGRTMIN+8,SIGRTMIN+9,SIGSEGV,SIGSTKFLT,SIGSTOP,SIGSYS,SIGTERM,SIGTRAP,SIGTSTP,SIGTTIN,SIGTTOU,SIGURG,SIGUSR1,SIGUSR2,SIGVTALRM,SIGWINCH,SIGXCPU,SIGXFSZ
    core.v1.LifecycleHandler
      exec 1 ExecAction?
      httpGet 2 HTTPGetAction?
      sleep 4 SleepAction?
      tcpSocket 3 TCPSocketAction?
    core.v1.ExecAction
      command 1 [string] list=atomic
    core.v1.HTTPGetAction
      host 3 string
      httpHeaders 5 [HTTPHeader] list=atomic
      path 1 string
      port 2 intorstring required
      scheme 4 string enum=HTTP,HTTPS
    core.v1.HTTPHeader
      name 1 string required
      value 2 string required
    core.v1.SleepAction
      seconds 1 int64 required
    core.v1.TCPSocketAction
      host 2 string
      port 1 intorstring required
    core.v1.Probe
      exec - ExecAction?
      failureThreshold 6 int32
      grpc - GRPCAction?
      httpGet - HTTPGetAction?
      initialDelaySeconds 2 int32
      periodSeconds 4 int32
      successThreshold 5 int32
      tcpSocket - TCPSocketAction?
      terminationGracePeriodSeconds 7 int64?
      timeoutSeconds 3 int32
      handler 1 ProbeHandler inline
    core.v1.GRPCAction
      port 1 int32 required
      service 2 string?
    core.v1.ContainerPort
      containerPort 3 int32? required
      hostIP 5 string
      hostPort 2 int32
      name 1 string
      protocol 4 string enum=SCTP,TCP,UDP
    core.v1.ContainerResizePolicy
      resourceName 1 string required
      restartPolicy 2 string required
    core.v1.ResourceRequirements
      claims 3 [ResourceClaim] list=map:name
      limits 1 {quantity}
      requests 2 {quantity}
    core.v1.ResourceClaim
      name 1 string required
      request 2 string
    core.v1.ContainerRestartRule
      action 1 string required
      exitCodes 2 ContainerRestartRuleOnExitCodes?
    core.v1.ContainerRestartRuleOnExitCodes
      operator 1 string required
      values 2 [int32] list=set
    core.v1.SecurityContext
      allowPrivilegeEscalation 7 bool?
      appArmorProfile 12 AppArmorProfile?
      capabilities 1 Capabilities?
      privileged 2 bool?
      procMount 9 string? enum=Default,Unmasked
      readOnlyRootFilesystem 6 bool?
      runAsGroup 8 int64?
      runAsNonRoot 5 bool?
      runAsUser 4 int64?
      seLinuxOptions 3 SELinuxOptions?
      seccompProfile 11 SeccompProfile?
      windowsOptions 10 WindowsSecurityContextOptions?
    core.v1.AppArmorProfile
      localhostProfile 2 string?
      type 1 string required enum=Localhost,RuntimeDefault,Unconfined
    core.v1.Capabilities
      add 1 [string] list=atomic
      drop 2 [string] list=atomic
    core.v1.SELinuxOptions
      level 4 string
      role 2 string
      type 3 string
      user 1 string
    core.v1.SeccompProfile
      localhostProfile 2 string?
      type 1 string required enum=Localhost,RuntimeDefault,Unconfined
    core.v1.WindowsSecurityContextOptions
      gmsaCredentialSpec 2 string?
      gmsaCredentialSpecName 1 string?
      hostProcess 4 bool?
      runAsUserName 3 string?
    core.v1.VolumeDevice
      devicePath 2 string required
      name 1 string required
    core.v1.VolumeMount
      mountPath 3 string required
      mountPropagation 5 string? enum=Bidirectional,HostToContainer,None
      name 1 string required
      readOnly 2 bool
      recursiveReadOnly 7 string?
      subPath 4 string
      subPathExpr 6 string
    core.v1.PodDNSConfig
      nameservers 1 [string] list=atomic
      options 3 [PodDNSConfigOption] list=atomic
      searches 2 [string] list=atomic
    core.v1.PodDNSConfigOption
      name 1 string
      value 2 string?
    core.v1.EphemeralContainer
      args - [string] list=atomic
      command - [string] list=atomic
      env - [EnvVar] merge=name strategy=merge list=map:name
      envFrom - [EnvFromSource] list=atomic
      image - string
      imagePullPolicy - string enum=Always,IfNotPresent,Never
      lifecycle - Lifecycle?
      livenessProbe - Probe?
      name - string required
      ports - [ContainerPort] merge=containerPort strategy=merge list=map:containerPort,protocol
      readinessProbe - Probe?
      resizePolicy - [ContainerResizePolicy] list=atomic
      resources - ResourceRequirements
      restartPolicy - string
      restartPolicyRules - [ContainerRestartRule] list=atomic
      securityContext - SecurityContext?
      startupProbe - Probe?
      stdin - bool
      stdinOnce - bool
      targetContainerName 2 string
      terminationMessagePath - string
      terminationMessagePolicy - string enum=FallbackToLogsOnError,File
      tty - bool
      volumeDevices - [VolumeDevice] merge=devicePath strategy=merge list=map:devicePath
      volumeMounts - [VolumeMount] merge=mountPath strategy=merge list=map:mountPath
      workingDir - string
      ephemeralContainerCommon 1 EphemeralContainerCommon inline
    core.v1.HostAlias
      hostnames 2 [string] list=atomic
      ip 1 string required
    core.v1.PodOS
      name 1 string required
    core.v1.PodReadinessGate
      conditionType 1 string required
    core.v1.PodResourceClaim
      name 1 string required
      resourceClaimName 3 string?
      resourceClaimTemplateName 4 string?
    core.v1.PodSchedulingGate
      name 1 string required
    core.v1.PodSchedulingGroup
      podGroupName - string
    core.v1.PodSecurityContext
      appArmorProfile 11 AppArmorProfile?
      fsGroup 5 int64?
      fsGroupChangePolicy 9 string? enum=Always,OnRootMismatch
      runAsGroup 6 int64?
      runAsNonRoot 3 bool?
      runAsUser 2 int64?
      seLinuxChangePolicy 13 string?
      seLinuxOptions 1 SELinuxOptions?
      seccompProfile 10 SeccompProfile?
      supplementalGroups 4 [int64] list=atomic
      supplementalGroupsPolicy 12 string? enum=Merge,Strict
      sysctls 7 [Sysctl] list=atomic
      windowsOptions 8 WindowsSecurityContextOptions?
    core.v1.Sysctl
      name 1 string required
      value 2 string required
    core.v1.Toleration
      effect 4 string enum=NoExecute,NoSchedule,PreferNoSchedule
      key 1 string
      operator 2 string enum=Equal,Exists,Gt,Lt
      tolerationSeconds 5 int64?
      value 3 string
    core.v1.TopologySpreadConstraint
      labelSelector 4 LabelSelector?
      matchLabelKeys 8 [string] list=atomic
      maxSkew 1 int32 required
      minDomains 5 int32?
      nodeAffinityPolicy 6 string? enum=Honor,Ignore
      nodeTaintsPolicy 7 string? enum=Honor,Ignore
      topologyKey 2 string required
      whenUnsatisfiable 3 string required enum=DoNotSchedule,ScheduleAnyway
    core.v1.Volume
      awsElasticBlockStore - AWSElasticBlockStoreVolumeSource?
      azureDisk - AzureDiskVolumeSource?
      azureFile - AzureFileVolumeSource?
      cephfs - CephFSVolumeSource?
      cinder - CinderVolumeSource?
      configMap - ConfigMapVolumeSource?
      csi - CSIVolumeSource?
      downwardAPI - DownwardAPIVolumeSource?
      emptyDir - EmptyDirVolumeSource?
      ephemeral - EphemeralVolumeSource?
      fc - FCVolumeSource?
      flexVolume - FlexVolumeSource?
      flocker - FlockerVolumeSource?
      gcePersistentDisk - GCEPersistentDiskVolumeSource?
      gitRepo - GitRepoVolumeSource?
      glusterfs - GlusterfsVolumeSource?
      hostPath - HostPathVolumeSource?
      image - ImageVolumeSource?
      iscsi - ISCSIVolumeSource?
      name 1 string required
      nfs - NFSVolumeSource?
      persistentVolumeClaim - PersistentVolumeClaimVolumeSource?
      photonPersistentDisk - PhotonPersistentDiskVolumeSource?
      portworxVolume - PortworxVolumeSource?
      projected - ProjectedVolumeSource?
      quobyte - QuobyteVolumeSource?
      rbd - RBDVolumeSource?
      scaleIO - ScaleIOVolumeSource?
      secret - SecretVolumeSource?
      storageos - StorageOSVolumeSource?
      vsphereVolume - VsphereVirtualDiskVolumeSource?
      volumeSource 2 VolumeSource inline
    core.v1.AWSElasticBlockStoreVolumeSource
      fsType 2 string
      partition 3 int32
      readOnly 4 bool
      volumeID 1 string required
    core.v1.AzureDiskVolumeSource
      cachingMode 3 string? enum=None,ReadOnly,ReadWrite
      diskName 1 string required
      diskURI 2 string required
      fsType 4 string?
      kind 6 string? enum=Dedicated,Managed,Shared -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      readOnly 5 bool?
    core.v1.AzureFileVolumeSource
      readOnly 3 bool
      secretName 1 string required
      shareName 2 string required
    core.v1.CephFSVolumeSource
      monitors 1 [string] required list=atomic
      path 2 string
      readOnly 6 bool
      secretFile 4 string
      secretRef 5 LocalObjectReference?
      user 3 string
    core.v1.CinderVolumeSource
      fsType 2 string
      readOnly 3 bool
      secretRef 4 LocalObjectReference?
      volumeID 1 string required
    core.v1.ConfigMapVolumeSource
      defaultMode 3 int32?
      items 2 [KeyToPath] list=atomic -- The objects in this list.
      name - string
      optional 4 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.KeyToPath
      key 1 string required
      mode 3 int32?
      path 2 string required
    core.v1.CSIVolumeSource
      driver 1 string required
      fsType 3 string?
      nodePublishSecretRef 5 LocalObjectReference?
      readOnly 2 bool?
      volumeAttributes 4 {string}
    core.v1.DownwardAPIVolumeSource
      defaultMode 2 int32?
      items 1 [DownwardAPIVolumeFile] list=atomic -- The objects in this list.
    core.v1.DownwardAPIVolumeFile
      fieldRef 2 ObjectFieldSelector?
      mode 4 int32?
      path 1 string required
      resourceFieldRef 3 ResourceFieldSelector?
    core.v1.EmptyDirVolumeSource
      medium 1 string
      sizeLimit 2 quantity?
    core.v1.EphemeralVolumeSource
      volumeClaimTemplate 1 PersistentVolumeClaimTemplate?
    core.v1.PersistentVolumeClaimTemplate
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 PersistentVolumeClaimSpec required -- The desired state.
    core.v1.PersistentVolumeClaimSpec
      accessModes 1 [string] list=atomic
      dataSource 7 TypedLocalObjectReference?
      dataSourceRef 8 TypedObjectReference?
      resources 2 VolumeResourceRequirements
      selector 4 LabelSelector?
      storageClassName 5 string?
      volumeAttributesClassName 9 string?
      volumeMode 6 string? enum=Block,Filesystem
      volumeName 3 string
    core.v1.TypedLocalObjectReference atomic
      apiGroup 1 string?
      kind 2 string required -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      name 3 string required
    core.v1.TypedObjectReference
      apiGroup 1 string?
      kind 2 string required -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      name 3 string required
      namespace 4 string?
    core.v1.VolumeResourceRequirements
      limits 1 {quantity}
      requests 2 {quantity}
    core.v1.FCVolumeSource
      fsType 3 string
      lun 2 int32
      readOnly 4 bool
      targetWWNs 1 [string] list=atomic
      wwids 5 [string] list=atomic
    core.v1.FlexVolumeSource
      driver 1 string required
      fsType 2 string
      options 5 {string}
      readOnly 4 bool
      secretRef 3 LocalObjectReference?
    core.v1.FlockerVolumeSource
      datasetName 1 string
      datasetUUID 2 string
    core.v1.GCEPersistentDiskVolumeSource
      fsType 2 string
      partition 3 int32
      pdName 1 string required
      readOnly 4 bool
    core.v1.GitRepoVolumeSource
      directory 3 string
      repository 1 string required
      revision 2 string
    core.v1.GlusterfsVolumeSource
      endpoints 1 string required
      path 2 string required
      readOnly 3 bool
    core.v1.HostPathVolumeSource
      path 1 string required
      type 2 string? enum=,BlockDevice,CharDevice,Directory,DirectoryOrCreate,File,FileOrCreate,Socket
    core.v1.ImageVolumeSource
      pullPolicy 2 string enum=Always,IfNotPresent,Never
      reference 1 string
    core.v1.ISCSIVolumeSource
      chapAuthDiscovery 8 bool
      chapAuthSession 11 bool
      fsType 5 string
      initiatorName 12 string?
      iqn 2 string required
      iscsiInterface 4 string
      lun 3 int32 required
      portals 7 [string] list=atomic
      readOnly 6 bool
      secretRef 10 LocalObjectReference?
      targetPortal 1 string required
    core.v1.NFSVolumeSource
      path 2 string required
      readOnly 3 bool
      server 1 string required
    core.v1.PersistentVolumeClaimVolumeSource
      claimName 1 string required
      readOnly 2 bool
    core.v1.PhotonPersistentDiskVolumeSource
      fsType 2 string
      pdID 1 string required
    core.v1.PortworxVolumeSource
      fsType 2 string
      readOnly 3 bool
      volumeID 1 string required
    core.v1.ProjectedVolumeSource
      defaultMode 2 int32?
      sources 1 [VolumeProjection] list=atomic
    core.v1.VolumeProjection
      clusterTrustBundle 5 ClusterTrustBundleProjection?
      configMap 3 ConfigMapProjection?
      downwardAPI 2 DownwardAPIProjection?
      podCertificate 6 PodCertificateProjection?
      secret 1 SecretProjection?
      serviceAccountToken 4 ServiceAccountTokenProjection?
    core.v1.ClusterTrustBundleProjection
      labelSelector 3 LabelSelector?
      name 1 string?
      optional 5 bool?
      path 4 string required
      signerName 2 string?
    core.v1.ConfigMapProjection
      items 2 [KeyToPath] list=atomic -- The objects in this list.
      name - string
      optional 4 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.DownwardAPIProjection
      items 1 [DownwardAPIVolumeFile] list=atomic -- The objects in this list.
    core.v1.PodCertificateProjection
      certificateChainPath 6 string
      credentialBundlePath 4 string
      keyPath 5 string
      keyType 2 string required
      maxExpirationSeconds 3 int32?
      signerName 1 string required
      userAnnotations 7 {string}
    core.v1.SecretProjection
      items 2 [KeyToPath] list=atomic -- The objects in this list.
      name - string
      optional 4 bool?
      localObjectReference 1 LocalObjectReference inline
    core.v1.ServiceAccountTokenProjection
      audience 1 string
      expirationSeconds 2 int64?
      path 3 string required
    core.v1.QuobyteVolumeSource
      group 5 string
      readOnly 3 bool
      registry 1 string required
      tenant 6 string
      user 4 string
      volume 2 string required
    core.v1.RBDVolumeSource
      fsType 3 string
      image 2 string required
      keyring 6 string
      monitors 1 [string] required list=atomic
      pool 4 string
      readOnly 8 bool
      secretRef 7 LocalObjectReference?
      user 5 string
    core.v1.ScaleIOVolumeSource
      fsType 9 string
      gateway 1 string required
      protectionDomain 5 string
      readOnly 10 bool
      secretRef 3 LocalObjectReference? required
      sslEnabled 4 bool
      storageMode 7 string
      storagePool 6 string
      system 2 string required
      volumeName 8 string
    core.v1.SecretVolumeSource
      defaultMode 3 int32?
      items 2 [KeyToPath] list=atomic -- The objects in this list.
      optional 4 bool?
      secretName 1 string
    core.v1.StorageOSVolumeSource
      fsType 3 string
      readOnly 4 bool
      secretRef 5 LocalObjectReference?
      volumeName 1 string
      volumeNamespace 2 string
    core.v1.VsphereVirtualDiskVolumeSource
      fsType 2 string
      storagePolicyID 4 string
      storagePolicyName 3 string
      volumePath 1 string required
    core.v1.PodStatus -- What a pod is: its phase, conditions and container states, as its node reports them.
      allocatedResources 19 {quantity}
      conditions 2 [PodCondition] merge=type strategy=merge list=map:type
      containerStatuses 8 [ContainerStatus] list=atomic
      ephemeralContainerStatuses 13 [ContainerStatus] list=atomic
      extendedResourceClaimStatus 18 PodExtendedResourceClaimStatus?
      hostIP 5 string
      hostIPs 16 [HostIP] merge=ip strategy=merge list=atomic
      initContainerStatuses 10 [ContainerStatus] list=atomic
      message 3 string
      nodeAllocatableResourceClaimStatuses - [NodeAllocatableResourceClaimStatus] list=atomic
      nominatedNodeName 11 string
      observedGeneration 17 int64
      phase 1 string enum=Failed,Pending,Running,Succeeded,Unknown
      podIP 6 string
      podIPs 12 [PodIP] merge=ip strategy=merge list=map:ip
      qosClass 9 string enum=BestEffort,Burstable,Guaranteed
      reason 4 string
      resize 14 string
      resourceClaimStatuses 15 [PodResourceClaimStatus] merge=name strategy=merge,retainKeys list=map:name
      resources 20 ResourceRequirements?
      startTime 7 time?
    core.v1.PodCondition
      lastProbeTime 3 time
      lastTransitionTime 4 time
      message 6 string
      observedGeneration 7 int64
      reason 5 string
      status 2 string required -- The observed state, written through the status subresource.
      type 1 string required
    core.v1.ContainerStatus
      allocatedResources 10 {quantity}
      allocatedResourcesStatus 14 [ResourceStatus] merge=name strategy=merge list=map:name
      containerID 8 string
      image 6 string required
      imageID 7 string required
      lastState 3 ContainerState
      name 1 string required
      ready 4 bool? required
      resources 11 ResourceRequirements?
      restartCount 5 int32? required
      started 9 bool?
      state 2 ContainerState
      stopSignal 15 string? enum=SIGABRT,SIGALRM,SIGBUS,SIGCHLD,SIGCLD,SIGCONT,SIGFPE,SIGHUP,SIGILL,SIGINT,SIGIO,SIGIOT,SIGKILL,SIGPIPE,SIGPOLL,SIGPROF,SIGPWR,SIGQUIT,SIGRTMAX,SIGRTMAX-1,SIGRTMAX-10,SIGRTMAX-11,SIGRTMAX-12,SIGRTMAX-13,SIGRTMAX-14,SIGRTMAX-2,SIGRTMAX-3,SIGRTMAX-4,SIGRTMAX-5,SIGRTMAX-6,SIGRTMAX-7,SIGRTMAX-8,SIGRTMAX-9,SIGRTMIN,SIGRTMIN+1,SIGRTMIN+10,SIGRTMIN+11,SIGRTMIN+12,SIGRTMIN+13,SIGRTMIN+14,SIGRTMIN+15,SIGRTMIN+2,SIGRTMIN+3,SIGRTMIN+4,SIGRTMIN+5,SIGRTMIN+6,SIGRTMIN+7,SIGRTMIN+8,SIGRTMIN+9,SIGSEGV,SIGSTKFLT,SIGSTOP,SIGSYS,SIGTERM,SIGTRAP,SIGTSTP,SIGTTIN,SIGTTOU,SIGURG,SIGUSR1,SIGUSR2,SIGVTALRM,SIGWINCH,SIGXCPU,SIGXFSZ
      user 13 ContainerUser?
      volumeMounts 12 [VolumeMountStatus] merge=mountPath strategy=merge list=map:mountPath
    core.v1.ResourceStatus
      name 1 string required
      resources 2 [ResourceHealth] list=map:resourceID
    core.v1.ResourceHealth
      health 2 string
      message 6 string
      resourceID 1 string required
    core.v1.ContainerState
      running 2 ContainerStateRunning?
      terminated 3 ContainerStateTerminated?
      waiting 1 ContainerStateWaiting?
    core.v1.ContainerStateRunning
      startedAt 1 time
    core.v1.ContainerStateTerminated
      containerID 7 string
      exitCode 1 int32 required
      finishedAt 6 time
      message 4 string
      reason 3 string
      signal 2 int32
      startedAt 5 time
    core.v1.ContainerStateWaiting
      message 2 string
      reason 1 string
    core.v1.ContainerUser
      linux 1 LinuxContainerUser?
    core.v1.LinuxContainerUser
      gid 2 int64 required
      supplementalGroups 3 [int64] list=atomic
      uid 1 int64 required
    core.v1.VolumeMountStatus
      mountPath 2 string required
      name 1 string required
      readOnly 3 bool
      recursiveReadOnly 4 string?
      volumeStatus 5 VolumeStatus
    core.v1.VolumeStatus
      image 1 ImageVolumeStatus?
    core.v1.ImageVolumeStatus
      imageRef 1 string required
    core.v1.PodExtendedResourceClaimStatus
      requestMappings 1 [ContainerExtendedResourceRequest] required list=atomic
      resourceClaimName 2 string required
    core.v1.ContainerExtendedResourceRequest
      containerName 1 string required
      requestName 3 string required
      resourceName 2 string required
    core.v1.HostIP
      ip 1 string required
    core.v1.NodeAllocatableResourceClaimStatus
      containers - [string] list=set
      resourceClaimName - string required
      resources - {quantity} required
    core.v1.PodIP
      ip 1 string required
    core.v1.PodResourceClaimStatus
      name 1 string required
      resourceClaimName 2 string?
    core.v1.PodList gvk=/v1/PodList -- A list of Pods.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Pod] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    coordination.v1.Lease gvk=coordination.k8s.io/v1/Lease -- A Lease records which holder owns a lock (leader election, node heartbeats) and until when.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 LeaseSpec -- Who holds the lease and until when.
    coordination.v1.LeaseSpec -- Who holds the lease, since when, and for how long.
      acquireTime 3 microtime -- When the current holder acquired the lease.
      holderIdentity 1 string? -- Who holds the lease now.
      leaseDurationSeconds 2 int32? -- How long candidates wait after the last renewal before taking the lease over.
      leaseTransitions 5 int32? -- How many times the lease changed holders.
      preferredHolder 7 string?
      renewTime 4 microtime -- When the current holder last renewed the lease.
      strategy 6 string?
    coordination.v1.LeaseList gvk=coordination.k8s.io/v1/LeaseList -- A list of Leases.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Lease] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    coordination.v1alpha2.LeaseCandidate gvk=coordination.k8s.io/v1alpha2/LeaseCandidate -- A candidate for a Lease in coordinated leader election (alpha).
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 LeaseCandidateSpec required -- Which lease the candidate contends for, and with which versions.
    coordination.v1alpha2.LeaseCandidateSpec -- What a candidate offers in an election for one lease.
      binaryVersion 4 string required -- The candidate's binary version, semver without a leading v.
      emulationVersion 5 string -- The version the candidate emulates; needed for the OldestEmulationVersion strategy.
      leaseName 1 string required -- The lease the candidate contends for. Cannot be changed.
      pingTime 2 microtime -- When the candidate was last asked to renew.
      renewTime 3 microtime -- When the candidate last renewed.
      strategy 6 string required -- How the leader is picked among the candidates, e.g. OldestEmulationVersion.
    coordination.v1alpha2.LeaseCandidateList gvk=coordination.k8s.io/v1alpha2/LeaseCandidateList -- A list of LeaseCandidates.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [LeaseCandidate] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    meta.v1.Status gvk=/v1/Status -- Status is the answer to a request that returns no object, and the body of every error.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      code 6 int32
      details 5 StatusDetails?
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      message 3 string
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      reason 4 string
      status 2 string -- The observed state, written through the status subresource.
    meta.v1.PartialObjectMetadata gvk=meta.k8s.io/v1/PartialObjectMetadata gvk=meta.k8s.io/v1beta1/PartialObjectMetadata -- An object's metadata alone, as metadata clients ask for it.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    meta.v1.PartialObjectMetadataList gvk=meta.k8s.io/v1/PartialObjectMetadataList gvk=meta.k8s.io/v1beta1/PartialObjectMetadataList -- The metadata of a list's objects.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [PartialObjectMetadata] -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    meta.v1.StatusDetails
      causes 4 [StatusCause] list=atomic
      group 2 string
      kind 3 string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      name 1 string
      retryAfterSeconds 5 int32
      uid 6 string
    meta.v1.StatusCause
      field 3 string
      message 2 string
      reason 1 string
    meta.v1.DeleteOptions gvk=/v1/DeleteOptions gvk=coordination.k8s.io/v1/DeleteOptions gvk=coordination.k8s.io/v1alpha2/DeleteOptions gvk=coordination.k8s.io/v1beta1/DeleteOptions -- Options for a delete: preconditions, grace period, propagation and dryRun.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      dryRun 5 [string] list=atomic
      gracePeriodSeconds 1 int64?
      ignoreStoreReadErrorWithClusterBreakingPotential 6 bool?
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      orphanDependents 3 bool?
      preconditions 2 Preconditions?
      propagationPolicy 4 string?
    meta.v1.Preconditions
      resourceVersion 2 string?
      uid 1 string?
    meta.v1.WatchEvent gvk=/v1/WatchEvent gvk=admission.k8s.io/v1/WatchEvent gvk=admission.k8s.io/v1beta1/WatchEvent gvk=admissionregistration.k8s.io/v1/WatchEvent gvk=admissionregistration.k8s.io/v1alpha1/WatchEvent gvk=admissionregistration.k8s.io/v1beta1/WatchEvent gvk=apiextensions.k8s.io/v1/WatchEvent gvk=apiextensions.k8s.io/v1beta1/WatchEvent gvk=apiregistration.k8s.io/v1/WatchEvent gvk=apiregistration.k8s.io/v1beta1/WatchEvent gvk=apps/v1/WatchEvent gvk=apps/v1beta1/WatchEvent gvk=apps/v1beta2/WatchEvent gvk=authentication.k8s.io/v1/WatchEvent gvk=authentication.k8s.io/v1alpha1/WatchEvent gvk=authentication.k8s.io/v1beta1/WatchEvent gvk=authorization.k8s.io/v1/WatchEvent gvk=authorization.k8s.io/v1beta1/WatchEvent gvk=autoscaling/v1/WatchEvent gvk=autoscaling/v2/WatchEvent gvk=batch/v1/WatchEvent gvk=batch/v1beta1/WatchEvent gvk=certificates.k8s.io/v1/WatchEvent gvk=certificates.k8s.io/v1alpha1/WatchEvent gvk=certificates.k8s.io/v1beta1/WatchEvent gvk=coordination.k8s.io/v1/WatchEvent gvk=coordination.k8s.io/v1alpha2/WatchEvent gvk=coordination.k8s.io/v1beta1/WatchEvent gvk=discovery.k8s.io/v1/WatchEvent gvk=discovery.k8s.io/v1beta1/WatchEvent gvk=events.k8s.io/v1/WatchEvent gvk=events.k8s.io/v1beta1/WatchEvent gvk=extensions/v1beta1/WatchEvent gvk=flowcontrol.apiserver.k8s.io/v1/WatchEvent gvk=flowcontrol.apiserver.k8s.io/v1beta1/WatchEvent gvk=flowcontrol.apiserver.k8s.io/v1beta2/WatchEvent gvk=flowcontrol.apiserver.k8s.io/v1beta3/WatchEvent gvk=imagepolicy.k8s.io/v1alpha1/WatchEvent gvk=internal.apiserver.k8s.io/v1alpha1/WatchEvent gvk=networking.k8s.io/v1/WatchEvent gvk=networking.k8s.io/v1beta1/WatchEvent gvk=node.k8s.io/v1/WatchEvent gvk=node.k8s.io/v1alpha1/WatchEvent gvk=node.k8s.io/v1beta1/WatchEvent gvk=policy/v1/WatchEvent gvk=policy/v1beta1/WatchEvent gvk=rbac.authorization.k8s.io/v1/WatchEvent gvk=rbac.authorization.k8s.io/v1alpha1/WatchEvent gvk=rbac.authorization.k8s.io/v1beta1/WatchEvent gvk=resource.k8s.io/v1/WatchEvent gvk=resource.k8s.io/v1alpha3/WatchEvent gvk=resource.k8s.io/v1beta1/WatchEvent gvk=resource.k8s.io/v1beta2/WatchEvent gvk=scheduling.k8s.io/v1/WatchEvent gvk=scheduling.k8s.io/v1alpha2/WatchEvent gvk=scheduling.k8s.io/v1beta1/WatchEvent gvk=storage.k8s.io/v1/WatchEvent gvk=storage.k8s.io/v1alpha1/WatchEvent gvk=storage.k8s.io/v1beta1/WatchEvent gvk=storagemigration.k8s.io/v1beta1/WatchEvent -- One change in a watch stream: its type and the object.
      object 2 object required
      type 1 string required
    core.v1.ProbeHandler
      exec 1 ExecAction?
      httpGet 2 HTTPGetAction?
      tcpSocket 3 TCPSocketAction?
      grpc 4 GRPCAction?
    core.v1.VolumeSource
      hostPath 1 HostPathVolumeSource?
      emptyDir 2 EmptyDirVolumeSource?
      gcePersistentDisk 3 GCEPersistentDiskVolumeSource?
      awsElasticBlockStore 4 AWSElasticBlockStoreVolumeSource?
      gitRepo 5 GitRepoVolumeSource?
      secret 6 SecretVolumeSource?
      nfs 7 NFSVolumeSource?
      iscsi 8 ISCSIVolumeSource?
      glusterfs 9 GlusterfsVolumeSource?
      persistentVolumeClaim 10 PersistentVolumeClaimVolumeSource?
      rbd 11 RBDVolumeSource?
      flexVolume 12 FlexVolumeSource?
      cinder 13 CinderVolumeSource?
      cephfs 14 CephFSVolumeSource?
      flocker 15 FlockerVolumeSource?
      downwardAPI 16 DownwardAPIVolumeSource?
      fc 17 FCVolumeSource?
      azureFile 18 AzureFileVolumeSource?
      configMap 19 ConfigMapVolumeSource?
      vsphereVolume 20 VsphereVirtualDiskVolumeSource?
      quobyte 21 QuobyteVolumeSource?
      azureDisk 22 AzureDiskVolumeSource?
      photonPersistentDisk 23 PhotonPersistentDiskVolumeSource?
      projected 26 ProjectedVolumeSource?
      portworxVolume 24 PortworxVolumeSource?
      scaleIO 25 ScaleIOVolumeSource?
      storageos 27 StorageOSVolumeSource?
      csi 28 CSIVolumeSource?
      ephemeral 29 EphemeralVolumeSource?
      image 30 ImageVolumeSource?
    core.v1.EphemeralContainerCommon
      name 1 string
      image 2 string
      command 3 [string]
      args 4 [string]
      workingDir 5 string
      ports 6 [ContainerPort]
      envFrom 19 [EnvFromSource]
      env 7 [EnvVar]
      resources 8 ResourceRequirements
      resizePolicy 23 [ContainerResizePolicy]
      restartPolicy 24 string?
      restartPolicyRules 25 [ContainerRestartRule]
      volumeMounts 9 [VolumeMount]
      volumeDevices 21 [VolumeDevice]
      livenessProbe 10 Probe?
      readinessProbe 11 Probe?
      startupProbe 22 Probe?
      lifecycle 12 Lifecycle?
      terminationMessagePath 13 string
      terminationMessagePolicy 20 string
      imagePullPolicy 14 string
      securityContext 15 SecurityContext?
      stdin 16 bool
      stdinOnce 17 bool
      tty 18 bool
    events.v1.Event gvk=events.k8s.io/v1/Event -- A structured report of something that happened in the cluster, kept for a limited time.
      action 6 string -- What the reporting controller did or failed to do, in machine-readable form.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      deprecatedCount 15 int32 -- Occurrence count carried over from core/v1 Events for compatibility.
      deprecatedFirstTimestamp 13 time -- First-seen time carried over from core/v1 Events for compatibility.
      deprecatedLastTimestamp 14 time -- Last-seen time carried over from core/v1 Events for compatibility.
      deprecatedSource 12 EventSource -- Reporting source carried over from core/v1 Events for compatibility.
      eventTime 2 microtime required -- When the event was first observed.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      note 10 string -- A free-text explanation of the outcome for people to read.
      reason 7 string -- Why the action was taken, in short UpperCamelCase form.
      regarding 8 ObjectReference -- The object this event is mainly about.
      related 9 ObjectReference? -- A second object involved in the action, if any.
      reportingController 4 string -- The name of the controller that emitted the event, e.g. kubernetes.io/kubelet.
      reportingInstance 5 string -- Which instance of the reporting controller emitted the event.
      series 3 EventSeries? -- Repetition data when the event recurs; absent for a one-off event.
      type 11 string -- The event's severity, currently Normal or Warning.
    events.v1.EventSeries -- How often an event has recurred and when it was last seen.
      count 1 int32? required -- How many times the event occurred up to the last heartbeat.
      lastObservedTime 2 microtime required -- When the latest occurrence before the last heartbeat was seen.
    events.v1.EventList gvk=events.k8s.io/v1/EventList -- A list of Events.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Event] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    events.v1beta1.Event gvk=events.k8s.io/v1beta1/Event -- The deprecated beta form of a structured report of something that happened in the cluster.
      action 6 string -- What the reporting controller did or failed to do, in machine-readable form.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      deprecatedCount 15 int32 -- Occurrence count carried over from core/v1 Events for compatibility.
      deprecatedFirstTimestamp 13 time -- First-seen time carried over from core/v1 Events for compatibility.
      deprecatedLastTimestamp 14 time -- Last-seen time carried over from core/v1 Events for compatibility.
      deprecatedSource 12 EventSource -- Reporting source carried over from core/v1 Events for compatibility.
      eventTime 2 microtime required -- When the event was first observed.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      note 10 string -- A free-text explanation of the outcome for people to read.
      reason 7 string -- Why the action was taken, in short UpperCamelCase form.
      regarding 8 ObjectReference -- The object this event is mainly about.
      related 9 ObjectReference? -- A second object involved in the action, if any.
      reportingController 4 string -- The name of the controller that emitted the event, e.g. kubernetes.io/kubelet.
      reportingInstance 5 string -- Which instance of the reporting controller emitted the event.
      series 3 EventSeries? -- Repetition data when the event recurs; absent for a one-off event.
      type 11 string -- The event's severity, currently Normal or Warning.
    events.v1beta1.EventSeries -- How often an event has recurred and when it was last seen.
      count 1 int32? required -- How many times the event occurred up to the last heartbeat.
      lastObservedTime 2 microtime required -- When the latest occurrence before the last heartbeat was seen.
    events.v1beta1.EventList gvk=events.k8s.io/v1beta1/EventList -- A list of Events.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [Event] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    autoscaling.v1.HorizontalPodAutoscaler gvk=autoscaling/v1/HorizontalPodAutoscaler -- Scales a workload's replica count to keep average CPU use near a target.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 HorizontalPodAutoscalerSpec required -- The desired state.
      status 3 HorizontalPodAutoscalerStatus -- The observed state, written through the status subresource.
    autoscaling.v1.HorizontalPodAutoscalerSpec -- Which workload to scale, within which bounds, and toward what CPU target.
      maxReplicas 3 int32? required -- The most replicas the autoscaler may set; not below minReplicas.
      minReplicas 2 int32? -- The fewest replicas the autoscaler may set; 1 when unset.
      scaleTargetRef 1 CrossVersionObjectReference required -- The workload whose scale subresource is adjusted.
      targetCPUUtilizationPercentage 4 int32? -- The wanted average CPU use across pods, as a percentage of their CPU requests.
    autoscaling.v1.HorizontalPodAutoscalerStatus -- What the autoscaler last saw and decided.
      currentCPUUtilizationPercentage 5 int32? -- The measured average CPU use across pods, as a percentage of their CPU requests.
      currentReplicas 3 int32? required -- How many replicas the target had when last observed.
      desiredReplicas 4 int32? required -- How many replicas the autoscaler last wanted.
      lastScaleTime 2 time? -- When the autoscaler last changed the replica count.
      observedGeneration 1 int64? -- The latest metadata.generation the autoscaler has acted on.
    autoscaling.v1.CrossVersionObjectReference atomic -- Identifies a referenced object by kind, name and optional API version.
      apiVersion 3 string -- The API version of the referenced object.
      kind 1 string required -- The kind of the referenced object.
      name 2 string required -- The name of the referenced object.
    autoscaling.v1.HorizontalPodAutoscalerList gvk=autoscaling/v1/HorizontalPodAutoscalerList -- A list of HorizontalPodAutoscalers.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [HorizontalPodAutoscaler] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    autoscaling.v2.HorizontalPodAutoscaler gvk=autoscaling/v2/HorizontalPodAutoscaler -- Scales a workload's replica count automatically from the metrics it names.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 HorizontalPodAutoscalerSpec required -- The desired state.
      status 3 HorizontalPodAutoscalerStatus -- The observed state, written through the status subresource.
    autoscaling.v2.HorizontalPodAutoscalerSpec -- Which workload to scale, within which bounds, on which metrics and how fast.
      behavior 5 HorizontalPodAutoscalerBehavior? -- How quickly to scale up and down; defaults apply when unset.
      maxReplicas 3 int32? required -- The most replicas the autoscaler may set; not below minReplicas.
      metrics 4 [MetricSpec] list=atomic -- The metrics whose largest recommendation decides the replica count; 80% average CPU when unset.
      minReplicas 2 int32? -- The fewest replicas the autoscaler may set; 1 when unset.
      scaleTargetRef 1 CrossVersionObjectReference required -- The workload whose scale subresource is adjusted and whose pods are measured.
    autoscaling.v2.CrossVersionObjectReference -- Identifies a referenced object by kind, name and optional API version.
      apiVersion 3 string -- The API version of the referenced object.
      kind 1 string required -- The kind of the referenced object.
      name 2 string required -- The name of the referenced object.
    autoscaling.v2.MetricSpec -- One metric to scale on: a type plus the one matching source field.
      containerResource 7 ContainerResourceMetricSource? -- A resource metric of one named container in each target pod.
      external 5 ExternalMetricSource? -- A metric from outside the cluster, not tied to any Kubernetes object.
      object 2 ObjectMetricSource? -- A metric describing a single Kubernetes object.
      pods 3 PodsMetricSource? -- A custom metric of each target pod, averaged before comparison.
      resource 4 ResourceMetricSource? -- A resource metric such as CPU or memory of each target pod.
      type 1 string required -- Which kind of metric source is set.
    autoscaling.v2.ObjectMetricSource -- Scales on a metric that describes one Kubernetes object.
      describedObject 1 CrossVersionObjectReference required -- The object the metric describes.
      metric 3 MetricIdentifier required -- Which metric to read.
      target 2 MetricTarget required -- The value to aim for.
    autoscaling.v2.PodsMetricSource -- Scales on a custom metric of each target pod, averaged across pods.
      metric 1 MetricIdentifier required -- Which metric to read.
      target 2 MetricTarget required -- The value to aim for.
    autoscaling.v2.ResourceMetricSource -- Scales on a resource such as CPU or memory used by the target pods.
      name 1 string required -- The resource to measure, e.g. cpu or memory.
      target 2 MetricTarget required -- The value to aim for.
    autoscaling.v2.ContainerResourceMetricSource -- Scales on a resource used by one named container in each target pod.
      container 3 string required -- The container to measure in each pod.
      name 1 string required -- The resource to measure, e.g. cpu or memory.
      target 2 MetricTarget required -- The value to aim for.
    autoscaling.v2.ExternalMetricSource -- Scales on a metric from outside the cluster, such as a queue length.
      metric 1 MetricIdentifier required -- Which metric to read.
      target 2 MetricTarget required -- The value to aim for.
    autoscaling.v2.MetricIdentifier -- Names a metric and optionally narrows it with a label selector.
      name 1 string required -- The metric's name.
      selector 2 LabelSelector? -- Labels that pick out specific series of the metric; all series when unset.
    autoscaling.v2.MetricTarget -- The goal for a metric: a total value, a per-pod average, or a utilization percentage.
      averageUtilization 4 int32? -- The wanted average across pods as a percentage of their resource requests; Resource metrics only.
      averageValue 3 quantity? -- The wanted average across pods.
      type 1 string required -- Which of the target fields applies.
      value 2 quantity? -- The wanted total value.
    autoscaling.v2.HorizontalPodAutoscalerBehavior -- Separate scaling rules for growing and shrinking the workload.
      scaleDown 2 HPAScalingRules? -- Rules for reducing replicas; a 300-second stabilization window by default.
      scaleUp 1 HPAScalingRules? -- Rules for adding replicas; by default the faster of 4 pods or doubling per minute.
    autoscaling.v2.HPAScalingRules -- Limits on how fast one scaling direction may move, with smoothing and tolerance.
      policies 2 [HPAScalingPolicy] list=atomic -- The candidate limits on change per time window.
      selectPolicy 1 string? -- Which policy wins when several apply, or Disabled to forbid scaling this way; Max when unset.
      stabilizationWindowSeconds 3 int32? -- How many seconds of past recommendations to consider before changing the count.
      tolerance 4 quantity? -- The relative metric deviation below which no scaling happens, e.g. 0.01 for 1%.
    autoscaling.v2.HPAScalingPolicy -- One limit on how much the replica count may change within a time window.
      periodSeconds 3 int32? required -- The length of the window in seconds, at most 1800.
      type 1 string required -- Whether value is a number of pods or a percentage of current pods.
      value 2 int32? required -- How much change the policy allows; greater than zero.
    autoscaling.v2.HorizontalPodAutoscalerStatus -- What the autoscaler last measured and decided.
      conditions 6 [HorizontalPodAutoscalerCondition] merge=type strategy=merge list=map:type -- Whether the autoscaler is able to scale and why.
      currentMetrics 5 [MetricStatus] list=atomic -- The latest readings of the configured metrics.
      currentReplicas 3 int32 -- How many replicas the target had when last observed.
      desiredReplicas 4 int32? required -- How many replicas the autoscaler last wanted.
      lastScaleTime 2 time? -- When the autoscaler last changed the replica count.
      observedGeneration 1 int64? -- The latest metadata.generation the autoscaler has acted on.
    autoscaling.v2.HorizontalPodAutoscalerCondition -- One aspect of the autoscaler's state at a point in time.
      lastTransitionTime 3 time -- When the status last changed.
      message 5 string -- A readable explanation of the last change.
      observedGeneration 6 int64? -- The metadata.generation this condition was computed from.
      reason 4 string -- A short machine-readable cause of the last change.
      status 2 string required -- True, False or Unknown.
      type 1 string required -- Which aspect this condition reports, e.g. AbleToScale or ScalingActive.
    autoscaling.v2.MetricStatus -- The latest reading of one metric: a type plus the one matching status field.
      containerResource 7 ContainerResourceMetricStatus? -- The reading of a per-container resource metric.
      external 5 ExternalMetricStatus? -- The reading of a metric from outside the cluster.
      object 2 ObjectMetricStatus? -- The reading of a metric describing a single object.
      pods 3 PodsMetricStatus? -- The reading of a per-pod custom metric.
      resource 4 ResourceMetricStatus? -- The reading of a per-pod resource metric.
      type 1 string required -- Which kind of metric source this reading is for.
    autoscaling.v2.ObjectMetricStatus -- The latest reading of a metric that describes one Kubernetes object.
      current 2 MetricValueStatus required -- The value read.
      describedObject 3 CrossVersionObjectReference required -- The object the metric describes.
      metric 1 MetricIdentifier required -- Which metric was read.
    autoscaling.v2.PodsMetricStatus -- The latest reading of a custom metric of each target pod.
      current 2 MetricValueStatus required -- The value read.
      metric 1 MetricIdentifier required -- Which metric was read.
    autoscaling.v2.ResourceMetricStatus -- The latest reading of a resource such as CPU or memory across the target pods.
      current 2 MetricValueStatus required -- The value read.
      name 1 string required -- The resource measured, e.g. cpu or memory.
    autoscaling.v2.ContainerResourceMetricStatus -- The latest reading of a resource used by one named container in each target pod.
      container 3 string required -- The container measured in each pod.
      current 2 MetricValueStatus required -- The value read.
      name 1 string required -- The resource measured, e.g. cpu or memory.
    autoscaling.v2.ExternalMetricStatus -- The latest reading of a metric from outside the cluster.
      current 2 MetricValueStatus required -- The value read.
      metric 1 MetricIdentifier required -- Which metric was read.
    autoscaling.v2.MetricValueStatus -- A metric reading as a total value, a per-pod average, or a utilization percentage.
      averageUtilization 3 int32? -- The average across pods as a percentage of their resource requests.
      averageValue 2 quantity? -- The average across pods.
      value 1 quantity? -- The total value.
    autoscaling.v2.HorizontalPodAutoscalerList gvk=autoscaling/v2/HorizontalPodAutoscalerList -- A list of HorizontalPodAutoscalers.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [HorizontalPodAutoscaler] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    storagemigration.v1alpha1.StorageVersionMigration gvk=storagemigration.k8s.io/v1alpha1/StorageVersionMigration -- Asks the server to rewrite every stored object of one resource at its storage version (alpha).
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 StorageVersionMigrationSpec -- Which resource to migrate.
      status 3 StorageVersionMigrationStatus -- How the migration is going, written by the server.
    storagemigration.v1alpha1.StorageVersionMigrationSpec -- The resource a migration rewrites.
      continueToken 2 string -- Where an interrupted migration goes on from; the server keeps its own checkpoint.
      resource 1 GroupVersionResource required -- The resource whose stored objects are rewritten. Cannot be changed.
    storagemigration.v1alpha1.GroupVersionResource -- A resource of an API group at one version.
      group 1 string -- The API group; empty for the core group.
      resource 3 string -- The resource, in the plural.
      version 2 string -- The version.
    storagemigration.v1alpha1.StorageVersionMigrationStatus -- The conditions of a migration.
      conditions 1 [MigrationCondition] merge=type strategy=merge list=map:type -- Running, then Succeeded or Failed.
      resourceVersion 2 string -- The resourceVersion the migration started from.
    storagemigration.v1alpha1.MigrationCondition -- One observation of a migration.
      lastUpdateTime 3 time -- When the condition last changed.
      message 5 string -- What happened, for people.
      reason 4 string -- Why, in one word.
      status 2 string required -- True, False or Unknown.
      type 1 string required -- Running, Succeeded or Failed.
    storagemigration.v1alpha1.StorageVersionMigrationList gvk=storagemigration.k8s.io/v1alpha1/StorageVersionMigrationList -- A list of StorageVersionMigrations.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [StorageVersionMigration] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    apiextensions.v1.CustomResourceDefinition gvk=apiextensions.k8s.io/v1/CustomResourceDefinition -- A CustomResourceDefinition adds a new resource type to the API; its name is <plural>.<group>.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 CustomResourceDefinitionSpec required -- The resource the definition adds: its group, names, scope and versions.
      status 3 CustomResourceDefinitionStatus -- The observed state, written through the status subresource.
    apiextensions.v1.CustomResourceDefinitionSpec -- How the custom resource appears in the API.
      conversion 9 CustomResourceConversion? -- How objects are converted between the served versions.
      group 1 string required -- The API group the custom resources are served under.
      names 3 CustomResourceDefinitionNames required -- The resource, kind and other names of the custom resource.
      preserveUnknownFields 10 bool -- Deprecated: keep fields the schema does not declare; use x-kubernetes-preserve-unknown-fields instead.
      scope 4 string required -- Whether the custom resources are Cluster or Namespaced.
      versions 7 [CustomResourceDefinitionVersion] required list=atomic -- Every API version of the custom resource.
    apiextensions.v1.CustomResourceDefinitionNames -- The names a custom resource is served and listed under.
      categories 6 [string] list=atomic -- Groups of resources this one belongs to, such as "all".
      kind 4 string required -- The kind of the custom resource objects, usually CamelCase and singular.
      listKind 5 string -- The kind of a list of the objects; defaults to the kind followed by "List".
      plural 1 string required -- The lowercase plural name the resource is served under.
      shortNames 3 [string] list=atomic -- Lowercase abbreviations clients accept for the resource.
      singular 2 string -- The lowercase singular name; defaults to the lowercased kind.
    apiextensions.v1.CustomResourceDefinitionVersion -- One API version of a custom resource.
      additionalPrinterColumns 6 [CustomResourceColumnDefinition] list=atomic -- Extra columns shown in Table output.
      deprecated 7 bool -- Whether requests to this version get a deprecation warning.
      deprecationWarning 8 string? -- A warning to return instead of the default one for a deprecated version.
      name 1 string required -- The version name, such as "v1" or "v2beta1".
      schema 4 CustomResourceValidation? -- The schema that validates, prunes and defaults objects of this version.
      selectableFields 9 [SelectableField] list=atomic -- Fields that may be used in field selectors, at most 8.
      served 2 bool? required -- Whether this version is served through the REST API.
      storage 3 bool? required -- Whether objects are stored in this version; exactly one version has it.
      subresources 5 CustomResourceSubresources? -- The status and scale subresources this version has.
    apiextensions.v1.CustomResourceValidation -- The validation schema of a custom resource version.
      openAPIV3Schema 1 JSONSchemaProps? -- The OpenAPI v3 schema used for validation and pruning.
    apiextensions.v1.JSONSchemaProps -- A JSON Schema (draft 4) with the Kubernetes extensions.
      $ref 3 string? -- A reference to another schema.
      $schema 2 string -- The URL of the JSON Schema dialect.
      additionalItems 33 JSONSchemaPropsOrBool? -- A schema, or a boolean, for array items beyond those listed.
      additionalProperties 30 JSONSchemaPropsOrBool? -- A schema, or a boolean, for properties not listed in properties.
      allOf 25 [JSONSchemaProps] list=atomic -- Schemas the value must all match.
      anyOf 27 [JSONSchemaProps] list=atomic -- Schemas the value must match at least one of.
      default 8 object? -- The value given to the field when it is absent.
      definitions 34 {JSONSchemaProps} -- Named schemas defined for reference.
      dependencies 32 {JSONSchemaPropsOrStringArray} -- Per property, a schema or a list of properties required when it is present.
      description 4 string -- What the value means.
      enum 20 [object] list=atomic -- The values allowed.
      example 36 object? -- An example value.
      exclusiveMaximum 10 bool -- Whether the maximum itself is excluded.
      exclusiveMinimum 12 bool -- Whether the minimum itself is excluded.
      externalDocs 35 ExternalDocumentation? -- Where more documentation is.
      format 6 string -- An OpenAPI format such as int32, date-time or uuid.
      id 1 string -- The schema's identifier.
      items 24 JSONSchemaPropsOrArray? -- The schema, or list of schemas, for array items.
      maxItems 16 int64? -- The most items an array may have.
      maxLength 13 int64? -- The longest a string may be.
      maxProperties 21 int64? -- The most properties an object may have.
      maximum 9 double? -- The largest number allowed.
      minItems 17 int64? -- The fewest items an array may have.
      minLength 14 int64? -- The shortest a string may be.
      minProperties 22 int64? -- The fewest properties an object may have.
      minimum 11 double? -- The smallest number allowed.
      multipleOf 19 double? -- A number the value must be a multiple of.
      not 28 JSONSchemaProps? -- A schema the value must not match.
      nullable 37 bool -- Whether null is allowed.
      oneOf 26 [JSONSchemaProps] list=atomic -- Schemas the value must match exactly one of.
      pattern 15 string -- A regular expression strings must match.
      patternProperties 31 {JSONSchemaProps} -- Schemas for properties whose names match a regular expression.
      properties 29 {JSONSchemaProps} -- The schemas of an object's named properties.
      required 23 [string] list=atomic -- The properties an object must have.
      title 7 string -- A short title for the schema.
      type 5 string -- The JSON type: object, array, string, integer, number or boolean.
      uniqueItems 18 bool -- Whether array items must be distinct.
      x-kubernetes-embedded-resource 39 bool -- Whether the value is an embedded Kubernetes object with apiVersion, kind and metadata.
      x-kubernetes-int-or-string 40 bool -- Whether the value may be an integer or a string.
      x-kubernetes-list-map-keys 41 [string] list=atomic -- The keys that identify items of a list of type map.
      x-kubernetes-list-type 42 string? -- How a list merges: atomic, set or map.
      x-kubernetes-map-type 43 string? -- How an object merges: granular or atomic.
      x-kubernetes-preserve-unknown-fields 38 bool? -- Whether fields the schema does not declare are kept instead of pruned.
      x-kubernetes-validations 44 [ValidationRule] merge=rule strategy=merge list=map:rule -- CEL rules the value must satisfy.
    apiextensions.v1.ExternalDocumentation -- A link to documentation outside the schema.
      description 1 string -- What the linked documentation covers.
      url 2 string -- Where the documentation is.
    apiextensions.v1.ValidationRule -- A CEL expression a value must satisfy.
      fieldPath 5 string -- The path reported when the rule fails, relative to where the rule is.
      message 2 string -- The message returned when the rule fails.
      messageExpression 3 string -- A CEL expression that builds the failure message.
      optionalOldSelf 6 bool? -- Whether a transition rule also runs when there is no old value, with oldSelf as an optional.
      reason 4 string? enum=FieldValueDuplicate,FieldValueForbidden,FieldValueInvalid,FieldValueRequired -- The machine-readable reason returned when the rule fails; FieldValueInvalid by default.
      rule 1 string required -- The CEL expression, with self bound to the value.
    apiextensions.v1.CustomResourceSubresources -- The subresources a custom resource version serves.
      scale 2 CustomResourceSubresourceScale? -- Serve a /scale subresource that returns an autoscaling/v1 Scale.
      status 1 CustomResourceSubresourceStatus? -- Serve a /status subresource, and ignore status in writes to the main resource.
    apiextensions.v1.CustomResourceSubresourceStatus -- Enables the status subresource; it has no fields.
    apiextensions.v1.CustomResourceSubresourceScale -- Where the scale subresource finds replica counts and the selector.
      labelSelectorPath 3 string? -- The JSON path of the serialized label selector, under .spec or .status.
      specReplicasPath 1 string required -- The JSON path of the desired replica count, under .spec.
      statusReplicasPath 2 string required -- The JSON path of the observed replica count, under .status.
    apiextensions.v1.CustomResourceColumnDefinition -- An extra column for server-side Table output.
      description 4 string -- What the column shows.
      format 3 string -- An optional OpenAPI format for the column, such as name.
      jsonPath 6 string required -- The JSON path, evaluated on each object, that gives the column's value.
      name 1 string required -- The column's human-readable name.
      priority 5 int32 -- How important the column is; columns above 0 may be left out when space is short.
      type 2 string required -- The column's OpenAPI type.
    apiextensions.v1.SelectableField -- A field of the custom resource that field selectors may use.
      jsonPath 1 string required -- The JSON path of a string, boolean or integer field, without array notation.
    apiextensions.v1.CustomResourceConversion -- How custom resources are converted between versions.
      strategy 1 string required -- None (only apiVersion changes) or Webhook.
      webhook 2 WebhookConversion? -- The webhook to call when the strategy is Webhook.
    apiextensions.v1.WebhookConversion -- How to call a conversion webhook.
      clientConfig 2 WebhookClientConfig? -- Where the webhook is and how to trust it.
      conversionReviewVersions 3 [string] required list=atomic -- The ConversionReview versions the webhook accepts, in order of preference.
    apiextensions.v1.WebhookClientConfig -- How to make a TLS connection to a webhook.
      caBundle 2 bytes -- The PEM CA bundle that validates the webhook's certificate; system roots when empty.
      service 1 ServiceReference? -- The in-cluster service that runs the webhook; set this or url.
      url 3 string? -- The https URL of the webhook; set this or service.
    apiextensions.v1.ServiceReference -- A reference to a Service that runs a webhook.
      name 2 string required -- The name of the service.
      namespace 1 string required -- The namespace of the service.
      path 3 string? -- The URL path to send requests to.
      port 4 int32? -- The service port to call; 443 by default.
    apiextensions.v1.CustomResourceDefinitionStatus -- What the server observed of a CustomResourceDefinition.
      acceptedNames 2 CustomResourceDefinitionNames -- The names actually served in discovery, which may differ from the spec's.
      conditions 1 [CustomResourceDefinitionCondition] list=map:type -- The latest observations, such as Established and NamesAccepted.
      observedGeneration 4 int64 -- The generation the CRD controller last observed.
      storedVersions 3 [string] list=atomic -- Every version objects have ever been stored in.
    apiextensions.v1.CustomResourceDefinitionCondition -- One observed condition of a CustomResourceDefinition.
      lastTransitionTime 3 time -- When the condition last changed status.
      message 5 string -- A human-readable explanation of the last transition.
      observedGeneration 6 int64 -- The generation the condition was set for.
      reason 4 string -- A one-word CamelCase reason for the last transition.
      status 2 string required -- True, False or Unknown.
      type 1 string required -- The condition type, such as Established, NamesAccepted or Terminating.
    apiextensions.v1.CustomResourceDefinitionList gvk=apiextensions.k8s.io/v1/CustomResourceDefinitionList -- A list of CustomResourceDefinitions.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [CustomResourceDefinition] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    autoscaling.v1.Scale gvk=autoscaling/v1/Scale -- The replica count of a scalable resource, read and written through its scale subresource.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 ScaleSpec -- The desired replica count.
      status 3 ScaleStatus -- The observed replica count and the selector of the replicas.
    autoscaling.v1.ScaleSpec -- The desired state of a scalable resource.
      replicas 1 int32 -- How many replicas are wanted.
    autoscaling.v1.ScaleStatus -- The observed state of a scalable resource.
      replicas 1 int32 required -- How many replicas there are.
      selector 2 string -- The label selector of the replicas, serialized as a query string.
    apiregistration.v1.APIService gvk=apiregistration.k8s.io/v1/APIService -- An APIService tells the aggregator which server serves one group-version: this one (local) or an extension API server behind a Service.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      spec 2 APIServiceSpec -- Where the group-version is served and how it is ordered in discovery.
      status 3 APIServiceStatus -- The observed state, written through the status subresource.
    apiregistration.v1.APIServiceSpec -- Where a group-version is served and how discovery orders it.
      caBundle 5 bytes list=atomic -- PEM CA bundle that verifies the extension server's serving certificate.
      group 2 string -- The API group the extension serves.
      groupPriorityMinimum 7 int32 required -- The group's priority in discovery: higher first, at least this.
      insecureSkipTLSVerify 4 bool -- Skip verifying the extension server's certificate. Strongly discouraged.
      service 1 ServiceReference? -- The Service in front of the extension server; empty for a group-version served locally.
      version 3 string -- The API version the extension serves.
      versionPriority 8 int32 required -- The version's order within its group: higher first, then by Kubernetes version rules.
    apiregistration.v1.ServiceReference -- A Service in front of an extension API server.
      name 2 string -- The name of the service.
      namespace 1 string -- The namespace of the service.
      port 3 int32? -- The service port to reach; 443 by default.
    apiregistration.v1.APIServiceStatus -- What the aggregator observed of an APIService.
      conditions 1 [APIServiceCondition] merge=type strategy=merge list=map:type -- The latest observations; Available says whether requests can be served.
    apiregistration.v1.APIServiceCondition -- One observed condition of an APIService.
      lastTransitionTime 3 time -- When the condition last changed status.
      message 5 string -- A human-readable explanation of the last transition.
      reason 4 string -- A one-word CamelCase reason for the last transition.
      status 2 string required -- True, False or Unknown.
      type 1 string required -- The condition type: Available.
    apiregistration.v1.APIServiceList gvk=apiregistration.k8s.io/v1/APIServiceList -- A list of APIServices.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [APIService] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    discovery.v1.EndpointSlice gvk=discovery.k8s.io/v1/EndpointSlice -- An EndpointSlice lists some of the endpoints that implement a Service.
      addressType 4 string required enum=FQDN,IPv4,IPv6 -- The type of every address in the slice: IPv4, IPv6 or FQDN. Immutable.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      endpoints 2 [Endpoint] required list=atomic -- The endpoints in this slice; at most 1000.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ObjectMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
      ports 3 [EndpointPort] list=atomic -- The ports every endpoint of the slice exposes; at most 100.
    discovery.v1.Endpoint -- One backend of a Service.
      addresses 1 [string] required list=set -- The endpoint's addresses, of the slice's addressType; consumers use the first.
      conditions 2 EndpointConditions -- What is known of the endpoint's state.
      deprecatedTopology 5 {string} -- Deprecated topology labels; use nodeName and zone.
      hints 8 EndpointHints? -- Hints for topology-aware routing.
      hostname 3 string? -- The endpoint's DNS hostname, a DNS label.
      nodeName 6 string? -- The node the endpoint runs on.
      targetRef 4 ObjectReference? -- The object that is the endpoint, usually a Pod.
      zone 7 string? -- The zone the endpoint is in.
    discovery.v1.EndpointConditions -- The state of an endpoint.
      ready 1 bool? -- Whether the endpoint is ready for traffic; unknown (nil) counts as ready.
      serving 2 bool? -- Whether the endpoint serves, even while terminating.
      terminating 3 bool? -- Whether the endpoint is terminating.
    discovery.v1.EndpointHints -- Where an endpoint should be consumed.
      forNodes 2 [ForNode] list=atomic -- The nodes that should consume the endpoint.
      forZones 1 [ForZone] list=atomic -- The zones that should consume the endpoint.
    discovery.v1.ForZone -- A zone that should consume an endpoint.
      name 1 string required -- The zone's name.
    discovery.v1.ForNode -- A node that should consume an endpoint.
      name 1 string required -- The node's name.
    discovery.v1.EndpointPort atomic -- A port an EndpointSlice's endpoints expose.
      appProtocol 4 string? -- The application protocol of the port.
      name 1 string? -- The port's name; it must match the Service port's.
      port 3 int32? -- The port number; nil means every port.
      protocol 2 string? -- TCP, UDP or SCTP; TCP by default.
    discovery.v1.EndpointSliceList gvk=discovery.k8s.io/v1/EndpointSliceList -- A list of EndpointSlices.
      apiVersion - string -- The versioned schema of this object, e.g. "v1" or "coordination.k8s.io/v1".
      items 2 [EndpointSlice] required -- The objects in this list.
      kind - string -- The kind of this object, e.g. "ConfigMap". Servers infer it from the URL when absent.
      metadata 1 ListMeta -- The object's metadata: name, namespace, labels, annotations and what the server manages.
    """

    /// The built-in schemas, parsed once.
    public static let schemas: SchemaCatalog = {
        do {
            return SchemaCatalog(try SchemaText.parse(schemaText))
        } catch {
            preconditionFailure("the built-in schema text does not parse: \(error)")
        }
    }()
}
