{{/* errbridge.name is the chart's name, or nameOverride. */}}
{{- define "errbridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* errbridge.fullname names the release's resources: fullnameOverride, or release-name. */}}
{{- define "errbridge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* errbridge.proxyFullname names the proxy's resources. */}}
{{- define "errbridge.proxyFullname" -}}
{{- printf "%s-proxy" (include "errbridge.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/* errbridge.labels are the app.kubernetes.io labels every resource gets. */}}
{{- define "errbridge.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "errbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: errbridge
{{- end }}

{{/* errbridge.selectorLabels select the server's pods. */}}
{{- define "errbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "errbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{/* errbridge.proxySelectorLabels select the proxy's pods. */}}
{{- define "errbridge.proxySelectorLabels" -}}
app.kubernetes.io/name: {{ include "errbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: proxy
{{- end }}

{{/* errbridge.serviceAccountName is the pods' ServiceAccount. */}}
{{- define "errbridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "errbridge.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* errbridge.image is the image reference. */}}
{{- define "errbridge.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* errbridge.gracePeriod covers the preStop sleep, the drain delay and the shutdown timeout, plus 5 s. */}}
{{- define "errbridge.gracePeriod" -}}
{{- if .Values.terminationGracePeriodSeconds }}
{{- .Values.terminationGracePeriodSeconds }}
{{- else }}
{{- add .Values.preStopSleepSeconds .Values.drainDelaySeconds .Values.shutdownTimeoutSeconds 5 }}
{{- end }}
{{- end }}

{{/* errbridge.podSecurityContext runs the pods as the image's nonroot user. */}}
{{- define "errbridge.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* errbridge.containerSecurityContext: read-only root, no privileges, no capabilities. */}}
{{- define "errbridge.containerSecurityContext" -}}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop: ["ALL"]
{{- end }}

{{/* errbridge.overlayConfigMap is the ConfigMap holding the catalogue overlay. */}}
{{- define "errbridge.overlayConfigMap" -}}
{{- .Values.catalogOverlay.existingConfigMap | default (printf "%s-catalog-overlay" (include "errbridge.fullname" . | trunc 46 | trimSuffix "-")) }}
{{- end }}

{{/* errbridge.probeTiming are a probe's period, threshold and timeout. */}}
{{- define "errbridge.probeTiming" -}}
periodSeconds: {{ .periodSeconds }}
failureThreshold: {{ .failureThreshold }}
timeoutSeconds: {{ .timeoutSeconds }}
{{- end }}
